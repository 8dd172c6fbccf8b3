using CallPipeline.Data;
using CallPipeline.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace CallPipeline.Voice.Retention;

public enum CallErasureOutcome
{
    Erased,
    /// <summary>The text is erased; Twilio failed to delete the recording, which the retention sweep retries.</summary>
    RecordingPending,
    NotFound,
    /// <summary>The call waits for or is in the worker, which would write its text again.</summary>
    Busy,
}

/// <summary>What was erased of a call and when, and why (<c>request</c> or <c>retention</c>).</summary>
public sealed record CallErasureRecord(
    string CallSid,
    DateTimeOffset? ErasureRequestedAt,
    DateTimeOffset? RecordingErasedAt,
    string? RecordingErasedBy,
    DateTimeOffset? TextErasedAt,
    string? TextErasedBy)
{
    /// <summary>Erasure was asked for and the recording is not deleted yet (Twilio failed): the retention sweep finishes it.</summary>
    public bool RecordingErasurePending => ErasureRequestedAt is not null && RecordingErasedAt is null;

    public static CallErasureRecord From(CallLog call) =>
        new(call.CallSid, call.ErasureRequestedAt, call.RecordingErasedAt, call.RecordingErasedBy, call.TextErasedAt, call.TextErasedBy);
}

public sealed record CallErasureResult(CallErasureOutcome Outcome, CallErasureRecord? Record = null, string? Detail = null);

/// <summary>
/// <c>DELETE /api/calls/{callSid}/data</c>, a caller's erasure request: the call is marked, its text and webhook
/// payloads cleared, its recording deleted at Twilio and here, at once; the metadata stays. Asking again changes nothing.
/// A recording Twilio fails to delete stays marked as requested, and the retention sweep finishes it.
/// </summary>
public sealed partial class CallErasure(CallPipelineDbContext db, CallDataEraser eraser, TimeProvider time, ILogger<CallErasure> logger)
{
    public async Task<CallErasureResult> EraseAsync(string callSid, CancellationToken cancellationToken)
    {
        var marked = await db.InTransactionAsync(async ct =>
        {
            var call = await db.CallLogs.FromSql($"SELECT * FROM call_logs WHERE call_sid = {callSid} FOR UPDATE").SingleOrDefaultAsync(ct);
            var now = time.GetUtcNow();
            if (call is null)
            {
                return new CallErasureResult(CallErasureOutcome.NotFound, Detail: $"No call {callSid}.");
            }
            if (call.PipelineStatus == PipelineStatus.Recorded || (call.PipelineStatus == PipelineStatus.Processing && !call.IsProcessingAbandoned(now)))
            {
                return new CallErasureResult(CallErasureOutcome.Busy, Detail: $"{callSid} is queued for or in the worker, which writes its transcript; erase it once it is processed or failed.");
            }
            if (call.ErasureRequestedAt is null)
            {
                call.ErasureRequestedAt = now;
                call.UpdatedAt = now;
                await db.SaveChangesAsync(ct);
            }
            return new CallErasureResult(CallErasureOutcome.Erased, CallErasureRecord.From(call));
        }, cancellationToken);
        if (marked.Outcome != CallErasureOutcome.Erased)
        {
            return marked;
        }

        var callId = await db.CallLogs.Where(c => c.CallSid == callSid).Select(c => c.Id).SingleAsync(cancellationToken);
        await eraser.EraseTextAsync([callId], Erasure.Request, cancellationToken);
        var (recording, problem) = await eraser.EraseRecordingAsync(callId, Erasure.Request, cancellationToken);
        var erased = await db.CallLogs.AsNoTracking().SingleAsync(c => c.Id == callId, cancellationToken);
        LogErased(logger, callSid, recording == RecordingErasure.Failed ? $"pending, the retention sweep tries again: {problem}" : "erased");
        return new CallErasureResult(recording == RecordingErasure.Failed ? CallErasureOutcome.RecordingPending : CallErasureOutcome.Erased, CallErasureRecord.From(erased));
    }

    [LoggerMessage(1, LogLevel.Information, "Erasure of {CallSid} requested by the operator: text erased, recording {Recording}")]
    private static partial void LogErased(ILogger logger, string callSid, string recording);
}
