using System.Security.Cryptography;
using System.Text;
using CallPipeline.Twilio.Rest;
using Microsoft.Extensions.Options;

namespace CallPipeline.Voice.Calls;

/// <summary>
/// The unguessable path segment of a call's Media Stream URL: HMAC-SHA256 of the CallSid under the auth token.
/// Only whoever received the signed TwiML knows it, and it is bound to one CallSid, so nothing is stored.
/// </summary>
public sealed class MediaStreamTokens(IOptions<TwilioOptions> twilio)
{
    private const string Purpose = "callpipeline/media-stream/v1\n";

    public string Create(string callSid) => Base64Url(Mac(callSid));

    /// <summary>Constant-time check that <paramref name="token"/> was issued for <paramref name="callSid"/>.</summary>
    public bool IsValid(string token, string callSid)
    {
        var expected = Encoding.ASCII.GetBytes(Create(callSid));
        var given = Encoding.ASCII.GetBytes(token);
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    private byte[] Mac(string callSid)
    {
        var key = Encoding.UTF8.GetBytes(twilio.Value.AuthToken);
        if (key.Length == 0)
        {
            throw new InvalidOperationException("Twilio:AuthToken is not configured; media stream tokens cannot be issued.");
        }
        return HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(Purpose + callSid));
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
