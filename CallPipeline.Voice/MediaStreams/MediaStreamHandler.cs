using System.Net.WebSockets;
using CallPipeline.Twilio.Rest;
using CallPipeline.Twilio.Security;
using CallPipeline.Twilio.Validation;
using CallPipeline.Voice.Calls;
using CallPipeline.Voice.Conversation;
using CallPipeline.Voice.Recordings;
using CallPipeline.Voice.Telemetry;
using Microsoft.Extensions.Options;

namespace CallPipeline.Voice.MediaStreams;

/// <summary>Runs one <see cref="MediaStreamSession"/> per Media Streams WebSocket and holds what the sessions share.</summary>
public sealed partial class MediaStreamHandler(
    IServiceScopeFactory scopes,
    MediaStreamTokens tokens,
    RecordingStarter recordingStarter,
    CallFinalizer finalizer,
    RecordingFileWriter recordingWriter,
    CallCapacity capacity,
    ICallConversationFactory conversations,
    IOptions<VoiceOptions> voiceOptions,
    IOptions<TwilioOptions> twilioOptions,
    IOptions<TwilioWebhookOptions> publicUrl,
    VoiceMetrics metrics,
    ILoggerFactory loggerFactory)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<MediaStreamHandler>();

    internal IServiceScopeFactory Scopes => scopes;

    internal MediaStreamTokens Tokens => tokens;

    internal RecordingStarter RecordingStarter => recordingStarter;

    internal CallFinalizer Finalizer => finalizer;

    internal RecordingFileWriter RecordingWriter => recordingWriter;

    internal ICallConversationFactory Conversations => conversations;

    internal VoiceMetrics Metrics => metrics;

    internal CallCapacity Capacity => capacity;

    internal VoiceOptions Options => voiceOptions.Value;

    internal TwilioOptions Twilio => twilioOptions.Value;

    internal ILogger SessionLogger { get; } = loggerFactory.CreateLogger<MediaStreamSession>();

    /// <summary>
    /// X-Twilio-Signature on the upgrade, over the <c>wss://</c> URL as written in the TwiML, with and without a
    /// trailing slash. Twilio's documentation and its own code disagree on whether it is sent, so enforcing is a setting;
    /// otherwise a mismatch is only logged. The per-call token is checked either way.
    /// </summary>
    public bool IsUpgradeAllowed(HttpContext context)
    {
        var signature = context.Request.Headers[TwilioSignature.HeaderName].ToString();
        var enforce = Options.ValidateMediaStreamSignature;
        if (string.IsNullOrEmpty(signature))
        {
            LogUnsignedUpgrade(_logger, enforce ? "refused" : "accepted");
            return !enforce;
        }
        var url = TwilioRequestUrl.WebSocketBase(publicUrl.Value.PublicBaseUrl) + context.Request.Path.ToUriComponent();
        var valid = !string.IsNullOrEmpty(Twilio.AuthToken)
            && (TwilioSignature.IsValid(Twilio.AuthToken, url, [], signature) | TwilioSignature.IsValid(Twilio.AuthToken, url + "/", [], signature));
        if (!valid)
        {
            LogBadSignature(_logger, enforce ? "refused" : "accepted");
        }
        return valid || !enforce;
    }

    public async Task RunAsync(WebSocket socket, string token, CancellationToken aborted)
    {
        metrics.StreamOpened();
        var session = new MediaStreamSession(socket, token, this);
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
