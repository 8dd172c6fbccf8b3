using System.Text.Json;
using CallPipeline.Data;
using CallPipeline.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace CallPipeline.Worker.Pipeline;

/// <summary>
/// Writes the call's progress between steps: the transcript as a checkpoint (so a redelivery does not download and
/// transcribe again), and failures with their reason. The claim on the call is <see cref="Queue.CallLease"/>.
/// </summary>
public sealed class CallProgress(CallPipelineDbContext db, TimeProvider time)
{
    public async Task SaveTranscriptAsync(PipelineRun run, CancellationToken cancellationToken)
    {
        run.Call.StepTimings = JsonSerializer.Serialize(run.StepTimings);
        run.Call.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Records the reason on a call not yet processed; <paramref name="final"/> also sets pipeline status failed and
    /// drops any lease. Written with its own UPDATE, apart from whatever the failed step left in the context.
    /// </summary>
    public Task RecordFailureAsync(string callSid, string reason, bool final, IReadOnlyDictionary<string, long>? timings, CancellationToken cancellationToken)
    {
        var trimmed = reason.Length > 2000 ? reason[..2000] : reason;
        var now = time.GetUtcNow();
        var stepTimings = timings is null ? null : JsonSerializer.Serialize(timings);
        return db.CallLogs
            .Where(c => c.CallSid == callSid && c.PipelineStatus != PipelineStatus.Processed)
            .ExecuteUpdateAsync(
                set =>
                {
                    set.SetProperty(c => c.ErrorReason, trimmed)
                        .SetProperty(c => c.FirstFailedAt, c => c.FirstFailedAt ?? now)
                        .SetProperty(c => c.UpdatedAt, now);
                    if (final)
                    {
                        set.SetProperty(c => c.PipelineStatus, PipelineStatus.Failed)
                            .SetProperty(c => c.ProcessingOwner, (string?)null)
                            .SetProperty(c => c.ProcessingLeaseExpiresAt, (DateTimeOffset?)null);
                    }
                    if (stepTimings is not null)
                    {
                        set.SetProperty(c => c.StepTimings, stepTimings);
                    }
                },
                cancellationToken);
    }
}
