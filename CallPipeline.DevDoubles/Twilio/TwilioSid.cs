using System.Security.Cryptography;

namespace CallPipeline.DevDoubles.Twilio;

/// <summary>Twilio resource identifiers: a two-letter type prefix and 32 lowercase hex digits (CA call, RE recording, MZ stream).</summary>
public static class TwilioSid
{
    public static string NewCall() => New("CA");

    public static string NewRecording() => New("RE");

    public static string NewStream() => New("MZ");

    private static string New(string prefix) => prefix + RandomNumberGenerator.GetHexString(32, lowercase: true);
}
