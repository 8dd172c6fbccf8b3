using CallPipeline.DevDoubles.Twilio.Calls;

namespace CallPipeline.DevDoubles.Simulator;

/// <summary>
/// A simulated call as <c>GET /simulator/calls/{callSid}</c> shows it (never what was said, only lengths): <c>spoken</c>
/// lists each utterance with its side and where the recording holds it, in seconds from the recording's start, which
/// is <c>recordingStartsAtSeconds</c> into the call.
/// </summary>
public sealed record SimulatedCallView(
    string CallSid,
    string Direction,
    string From,
    string To,
    string Outcome,
    string State,
    int TextLength,
    int ConversationLines,
    string? StreamSid,
    string? RecordingSid,
    string? RecordingStatus,
    int? RecordingDurationSeconds,
    double? RecordingStartsAtSeconds,
    DateTimeOffset CreatedAt,
    DateTimeOffset? AnsweredAt,
    DateTimeOffset? EndedAt,
    int? DurationSeconds,
    string? Error,
    StreamView? Stream,
    IReadOnlyList<SpokenLineView> Spoken,
    IReadOnlyList<SimulatedCallEvent> Events)
{
    public static SimulatedCallView Of(SimulatedCall call) => new(
        call.CallSid,
        call.Direction,
        call.From,
        call.To,
        call.Outcome switch
        {
            CallOutcome.NoAnswer => "no-answer",
            CallOutcome.Busy => "busy",
            CallOutcome.Failed => "failed",
            _ => "answered",
        },
        call.Status,
        call.Text?.Length ?? 0,
        call.Conversation?.Count ?? 0,
        call.StreamSid,
        call.Recording?.Sid,
        call.Recording?.Status,
        call.Recording?.DurationSeconds,
        call.RecordingStartsAt?.TotalSeconds,
        call.CreatedAt,
        call.AnsweredAt,
        call.EndedAt,
        call.DurationSeconds,
        call.Error,
        call.Stream is { } stream
            ? new StreamView(stream.FramesSent, stream.MediaReceived, stream.MarksReceived, stream.MarksEchoed, stream.Clears)
            : null,
        call.Spoken.Select(line => new SpokenLineView(line.Channel == 1 ? "caller" : "line", line.Start, line.End, line.Text.Length)).ToList(),
        call.Events);
}

/// <summary>An utterance in the recording: its side (caller or line), start and end seconds, and the length of its words.</summary>
public sealed record SpokenLineView(string Speaker, double Start, double End, int TextLength);
