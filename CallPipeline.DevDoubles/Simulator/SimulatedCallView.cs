namespace CallPipeline.DevDoubles.Simulator;

/// <summary>A simulated call as <c>GET /simulator/calls/{callSid}</c> shows it (never the caller's text, only its length).</summary>
public sealed record SimulatedCallView(
    string CallSid,
    string Direction,
    string From,
    string To,
    string Outcome,
    string State,
    int TextLength,
    string? StreamSid,
    string? RecordingSid,
    string? RecordingStatus,
    int? RecordingDurationSeconds,
    DateTimeOffset CreatedAt,
    DateTimeOffset? AnsweredAt,
    DateTimeOffset? EndedAt,
    int? DurationSeconds,
    string? Error,
    StreamView? Stream,
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
        call.StreamSid,
        call.Recording?.Sid,
        call.Recording?.Status,
        call.Recording?.DurationSeconds,
        call.CreatedAt,
        call.AnsweredAt,
        call.EndedAt,
        call.DurationSeconds,
        call.Error,
        call.Stream is { } stream
            ? new StreamView(stream.FramesSent, stream.MediaReceived, stream.MarksReceived, stream.MarksEchoed, stream.Clears)
            : null,
        call.Events);
}
