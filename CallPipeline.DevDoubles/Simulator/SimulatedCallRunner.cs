using CallPipeline.DevDoubles.Simulator.CallerSpeech;
using CallPipeline.DevDoubles.Simulator.MediaStreams;
using CallPipeline.DevDoubles.Simulator.Twiml;
using CallPipeline.DevDoubles.Speech;
using CallPipeline.DevDoubles.Twilio;
using CallPipeline.DevDoubles.Twilio.Calls;
using CallPipeline.DevDoubles.Twilio.Recordings;
using CallPipeline.DevDoubles.Twilio.Webhooks;
using Microsoft.Extensions.Options;

namespace CallPipeline.DevDoubles.Simulator;

/// <summary>
/// Acts out one call the way Twilio does: status events, the signed TwiML request, the TwiML, the Media Stream, and
/// after hang-up the call status callback and the recording status callback.
/// </summary>
public sealed partial class SimulatedCallRunner(
    TwilioWebhookClient webhooks,
    CallerSpeechSynthesizer speech,
    SpokenTextRegistry spokenText,
    DoublePublicUrl publicUrl,
    IOptions<SimulatorOptions> simulatorOptions,
    IOptionsMonitor<TwilioDoubleOptions> twilioOptions,
    TimeProvider time,
    ILogger<SimulatedCallRunner> logger)
{
    private const int FramesPerSecond = 50;

    public async Task RunAsync(SimulatedCall call, CancellationToken cancellationToken)
    {
        LogCallStarted(logger, call.CallSid, call.Direction);
        var callTime = TimeSpan.Zero;
        string finalStatus;
        try
        {
            (finalStatus, callTime) = await CarryAsync(call, cancellationToken);
        }
        catch (SpeechUnavailableException ex)
        {
            call.Fail(ex.Message);
            LogSpeechUnavailable(logger, call.CallSid, ex.Message);
            finalStatus = CallStatuses.Failed;
        }
        catch (HttpRequestException ex)
        {
            // Twilio 11200: the TwiML URL could not be reached; the caller hears an application error.
            call.Fail($"11200 HTTP retrieval failure: {ex.Message}");
            LogWebhookUnreachable(logger, call.CallSid, ex.Message);
            finalStatus = call.AnsweredAt is null ? CallStatuses.Failed : CallStatuses.Completed;
        }

        call.End(finalStatus, callTime);
        await FinishRecordingAsync(call, cancellationToken);
        await call.PendingCallbacks();
        await SendStatusAsync(call, finalStatus, cancellationToken);
        await SendRecordingCallbackAsync(call, cancellationToken);
        LogCallEnded(logger, call.CallSid, finalStatus, call.DurationSeconds ?? 0, call.Recording?.Sid);
    }

    private async Task<(string Status, TimeSpan CallTime)> CarryAsync(SimulatedCall call, CancellationToken cancellationToken)
    {
        var outbound = call.Direction == TwilioDirections.OutboundApi;
        if (outbound)
        {
            // Outbound: Twilio dials; the TwiML Url is fetched only once the called party answers.
            await SendProgressAsync(call, "initiated", CallStatuses.Initiated, cancellationToken);
            call.MoveTo(CallStatuses.Ringing);
            await SendProgressAsync(call, "ringing", CallStatuses.Ringing, cancellationToken);
            if (call.Outcome != CallOutcome.Answered)
            {
                return (call.Outcome.ToTwilioStatus(), TimeSpan.Zero);
            }
            call.MoveTo(CallStatuses.InProgress);
            await SendProgressAsync(call, "answered", CallStatuses.InProgress, cancellationToken);
        }
        else
        {
            call.MoveTo(CallStatuses.Ringing);
        }

        // Speech is made before the TwiML request so a missing espeak-ng fails the call before the gateway sees it.
        var utterances = call.Outcome == CallOutcome.Answered ? await UtterancesAsync(call, cancellationToken) : [];

        var twimlUrl = new Uri(call.TwimlUrl);
        var twiml = await webhooks.PostAsync(call.TwimlUrl, CallWebhookParameters.For(call, call.Status), cancellationToken);
        call.Record("twiml-requested", twiml.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (!twiml.IsSuccess)
        {
            call.Fail($"11200 HTTP retrieval failure: the TwiML request answered {twiml.StatusCode}");
            LogTwimlRefused(logger, call.CallSid, twiml.StatusCode);
            return (outbound ? CallStatuses.Completed : CallStatuses.Failed, TimeSpan.Zero);
        }

        if (!outbound && call.Outcome != CallOutcome.Answered)
        {
            // A missed inbound call: the caller hangs up (or the line is busy or fails) before the stream connects.
            return (call.Outcome.ToTwilioStatus(), TimeSpan.Zero);
        }

        switch (TwimlReader.Read(twiml.Body, twimlUrl))
        {
            case RejectCall reject:
                call.Record("twiml", $"<Reject reason=\"{reject.Reason}\">");
                return (CallStatuses.Busy, TimeSpan.Zero);
            case HangUpCall hangUp:
                call.MoveTo(CallStatuses.InProgress);
                call.Record("twiml", hangUp.Why);
                return (CallStatuses.Completed, TimeSpan.Zero);
            case InvalidTwiml invalid:
                call.MoveTo(CallStatuses.InProgress);
                call.Fail($"{invalid.ErrorCode} {invalid.Reason}");
                LogInvalidTwiml(logger, call.CallSid, invalid.ErrorCode);
                return (CallStatuses.Completed, TimeSpan.Zero);
            case ConnectStream connect:
                call.MoveTo(CallStatuses.InProgress);
                call.Record("twiml", $"<Connect><Stream url=\"{connect.Url.GetLeftPart(UriPartial.Path)}\">");
                return (CallStatuses.Completed, await StreamAsync(call, connect, utterances, cancellationToken));
            default:
                return (CallStatuses.Completed, TimeSpan.Zero);
        }
    }

    /// <summary>
    /// What each side says: a conversation's lines at their times, or the caller's text (or audio, or silence) once
    /// the greeting has played.
    /// </summary>
    private async Task<List<(ConversationSide Side, Utterance Utterance)>> UtterancesAsync(SimulatedCall call, CancellationToken cancellationToken)
    {
        if (call.Conversation is { } conversation)
        {
            var lines = new List<(ConversationSide, Utterance)>();
            foreach (var line in conversation.OrderBy(line => line.At))
            {
                var audio = await speech.SynthesizeMuLawAsync(line.Text, cancellationToken);
                lines.Add((line.Side, new Utterance(line.Text, audio, Frames(line.At))));
            }
            return lines;
        }
        var speechBytes = call switch
        {
            { Audio: { } audio } => await speech.ConvertMuLawAsync(audio, cancellationToken),
            { Text: { Length: > 0 } text } => await speech.SynthesizeMuLawAsync(text, cancellationToken),
            _ => Silence(simulatorOptions.Value.SilentCallerDuration),
        };
        return [(ConversationSide.Caller, new Utterance(call.Text ?? "", speechBytes, null))];
    }

    private async Task<TimeSpan> StreamAsync(
        SimulatedCall call, ConnectStream connect, List<(ConversationSide Side, Utterance Utterance)> utterances, CancellationToken cancellationToken)
    {
        var settings = simulatorOptions.Value;
        var trailing = Frames(settings.TrailingSilence);
        var callerLines = utterances.Where(u => u.Side == ConversationSide.Caller).Select(u => u.Utterance).ToList();
        var lineLines = utterances.Where(u => u.Side == ConversationSide.Line).Select(u => u.Utterance).ToList();
        var caller = new TrackScript(callerLines, call.Digits ?? "", Frames(settings.CallerPatience), trailing);
        var line = new TrackScript(lineLines, "", 0, lineLines.Count == 0 ? 0 : trailing);
        var session = new SimulatedMediaStream(call, connect, caller, line, settings, twilioOptions.CurrentValue.AuthToken, logger);
        call.Stream = session.Counters;
        await session.RunAsync(cancellationToken);
        call.RecordingStartsAt = session.RecordedFromFrame is { } from ? TimeSpan.FromSeconds(from / (double)FramesPerSecond) : null;
        call.Spoken = session.RecordedFromFrame is { } first
            ? [.. InRecording(caller.Played, channel: 1, first), .. InRecording(line.Played, channel: 2, first)]
            : [];
        return session.CallTime;
    }

    /// <summary>Utterances with words, in seconds from the recording's first frame; what was said before the recording began is not in it.</summary>
    private static IEnumerable<SpokenLine> InRecording(IReadOnlyList<PlayedUtterance> played, int channel, long firstFrame) =>
        played
            .Where(u => u.Text.Length > 0 && u.EndFrame > firstFrame)
            .Select(u => new SpokenLine(
                channel,
                Math.Max(0, u.StartFrame - firstFrame) / (double)FramesPerSecond,
                (u.EndFrame - firstFrame) / (double)FramesPerSecond,
                u.Text));

    private async Task FinishRecordingAsync(SimulatedCall call, CancellationToken cancellationToken)
    {
        if (call.Recording is not { } recording || !recording.IsRecording)
        {
            return;
        }
        await Task.Run(recording.Finish, cancellationToken);
        if (recording.Status == RecordingStatuses.Completed)
        {
            spokenText.Register(recording.Sid, call.SpokenText, call.Spoken);
        }
        call.Record("recording-" + recording.Status, recording.Sid);
    }

    private async Task SendRecordingCallbackAsync(SimulatedCall call, CancellationToken cancellationToken)
    {
        if (call.Recording is not { } recording)
        {
            return;
        }
        // The 404 window starts as the callback goes out: Twilio's media can lag behind its own callback.
        recording.MakeMediaAvailableAfter(time.GetUtcNow(), twilioOptions.CurrentValue.Double.RecordingNotFoundFor);
        if (recording.Request.Wants(recording.Status))
        {
            await webhooks.NotifyAsync(recording.Request.StatusCallback!, RecordingCallbackParameters.For(recording, publicUrl.BaseUrl), cancellationToken);
        }
    }

    private async Task SendProgressAsync(SimulatedCall call, string callbackEvent, string status, CancellationToken cancellationToken)
    {
        if (call.StatusCallbackEvents.Contains(callbackEvent))
        {
            await SendStatusAsync(call, status, cancellationToken);
        }
    }

    private async Task SendStatusAsync(SimulatedCall call, string status, CancellationToken cancellationToken)
    {
        if (call.StatusCallback is { } url)
        {
            await webhooks.NotifyAsync(url, CallWebhookParameters.ForStatusCallback(call, status, time.GetUtcNow()), cancellationToken);
        }
    }

    private static byte[] Silence(TimeSpan length)
    {
        var silence = new byte[Frames(length) * TrackScript.FrameBytes];
        silence.AsSpan().Fill(0xFF);
        return silence;
    }

    private static int Frames(TimeSpan length) => (int)Math.Ceiling(length.TotalSeconds * FramesPerSecond);

    [LoggerMessage(Level = LogLevel.Information, Message = "Twilio double: call {CallSid} ({Direction}) started")]
    private static partial void LogCallStarted(ILogger logger, string callSid, string direction);

    [LoggerMessage(Level = LogLevel.Information, Message = "Twilio double: call {CallSid} ended {Status} after {DurationSeconds} s, recording {RecordingSid}")]
    private static partial void LogCallEnded(ILogger logger, string callSid, string status, int durationSeconds, string? recordingSid);

    [LoggerMessage(Level = LogLevel.Error, Message = "Twilio double: call {CallSid} failed, the caller's speech cannot be made: {Reason}")]
    private static partial void LogSpeechUnavailable(ILogger logger, string callSid, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Twilio double: TwiML request for {CallSid} failed (11200): {Reason}")]
    private static partial void LogWebhookUnreachable(ILogger logger, string callSid, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Twilio double: TwiML request for {CallSid} answered {StatusCode} (11200)")]
    private static partial void LogTwimlRefused(ILogger logger, string callSid, int statusCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Twilio double: TwiML for {CallSid} cannot be executed ({ErrorCode})")]
    private static partial void LogInvalidTwiml(ILogger logger, string callSid, int errorCode);
}
