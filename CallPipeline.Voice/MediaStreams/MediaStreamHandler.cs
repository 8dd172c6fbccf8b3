using System.Net.WebSockets;
using CallPipeline.Twilio.Rest;
using CallPipeline.Twilio.Security;
using CallPipeline.Twilio.Validation;
using CallPipeline.Voice.Calls;
using CallPipeline.Voice.Telemetry;
using Microsoft.Extensions.Options;

namespace CallPipeline.Voice.MediaStreams;

/// <summary>Checks the upgrade of each Media Streams WebSocket and runs its <see cref="MediaStreamSession"/>.</summary>
public sealed partial class MediaStreamHandler(
    StreamAdmission admission,
    StreamCallFactory calls,
    CallCapacity capacity,
    VoiceMetrics metrics,
    IOptions<VoiceOptions> voiceOptions,
    IOptions<TwilioOptions> twilioOptions,
    IOptions<TwilioWebhookOptions> publicUrl,
    ILogger<MediaStreamSession> sessionLogger,
    ILogger<MediaStreamHandler> logger)
{
    /// <summary>
    /// X-Twilio-Signature on the upgrade, over the <c>wss://</c> URL as written in the TwiML, with and without a
    /// trailing slash. Twilio's documentation and its own code disagree on whether it is sent, so enforcing is a setting;
    /// otherwise a mismatch is only logged. The per-call token is checked either way.
    /// </summary>
    public bool IsUpgradeAllowed(HttpContext context)
    {
        var signature = context.Request.Headers[TwilioSignature.HeaderName].ToString();
        var enforce = voiceOptions.Value.ValidateMediaStreamSignature;
        if (string.IsNullOrEmpty(signature))
        {
            LogUnsignedUpgrade(logger, enforce ? "refused" : "accepted");
            return !enforce;
        }
        var authToken = twilioOptions.Value.AuthToken;
        var url = TwilioRequestUrl.WebSocketBase(publicUrl.Value.PublicBaseUrl) + context.Request.Path.ToUriComponent();
        var valid = !string.IsNullOrEmpty(authToken)
            && (TwilioSignature.IsValid(authToken, url, [], signature) | TwilioSignature.IsValid(authToken, url + "/", [], signature));
        if (!valid)
        {
            LogBadSignature(logger, enforce ? "refused" : "accepted");
        }
        return valid || !enforce;
    }

    public async Task RunAsync(WebSocket socket, string token, CancellationToken aborted)
    {
        metrics.StreamOpened();
        var options = voiceOptions.Value;
        var session = new MediaStreamSession(
            new MediaStreamSocket(socket, options.MaxMessageBytes), token, admission, calls, metrics, options.StartTimeout, sessionLogger);
        try
        {
            await session.RunAsync(aborted);
        }
        finally
        {
            metrics.StreamClosed();
            if (session.CallSid is { } callSid)
            {
                capacity.Release(callSid);
            }
        }
    }

    [LoggerMessage(1, LogLevel.Debug, "Media stream upgrade without X-Twilio-Signature {Outcome}")]
    private static partial void LogUnsignedUpgrade(ILogger logger, string outcome);

    [LoggerMessage(2, LogLevel.Warning, "Media stream upgrade with a wrong X-Twilio-Signature {Outcome}")]
    private static partial void LogBadSignature(ILogger logger, string outcome);
}
