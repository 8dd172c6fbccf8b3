using System.Text.Json;
using CallPipeline.Data;
using CallPipeline.Data.Entities;
using CallPipeline.Worker.Queue;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CallPipeline.Worker.Pipeline;

/// <summary>
/// Writes the call's progress between steps: the claim on the call at the start, the transcript as a checkpoint (so a
/// redelivery does not download and transcribe again), and failures with their reason.
/// <para>
/// The claim is a lease in Postgres (<see cref="CallLog.ProcessingOwner"/> until <see cref="CallLog.ProcessingLeaseExpiresAt"/>),
/// renewed by the job's heartbeat for <see cref="WorkerOptions.ClaimIdleTime"/> at a time. It keeps two runs of one call
/// apart even when Redis lost everything, and tells the reconciler which calls in processing nobody works on.
/// </para>
/// </summary>
public sealed class CallProgress(CallPipelineDbContext db, IOptions<WorkerOptions> options, TimeProvider time)
{
    private TimeSpan LeaseDuration => options.Value.ClaimIdleTime;

    /// <summary>
    /// Marks the call processing and takes its lease for <paramref name="owner"/>, unless another run holds a live one.
    /// </summary>
    /// <returns>False when another run holds the call (or it was processed meanwhile); nothing is written then.</returns>
    public async Task<bool> TryClaimAsync(PipelineRun run, string owner, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var expires = now + LeaseDuration;
        var claimed = await db.CallLogs
            .Where(c => c.Id == run.Call.Id
                && c.PipelineStatus != PipelineStatus.Processed
                && (c.ProcessingOwner == null || c.ProcessingOwner == owner || c.ProcessingLeaseExpiresAt < now))
            .ExecuteUpdateAsync(
                set => set
                    .SetProperty(c => c.PipelineStatus, PipelineStatus.Processing)
                    .SetProperty(c => c.ProcessingAttempts, c => c.ProcessingAttempts + 1)
                    .SetProperty(c => c.ProcessingOwner, owner)
                    .SetProperty(c => c.ProcessingLeaseExpiresAt, expires)
                    .SetProperty(c => c.UpdatedAt, now),
                cancellationToken);
        if (claimed == 0)
        {
            return false;
        }
        await db.Entry(run.Call).ReloadAsync(cancellationToken);
        return true;
    }

    /// <summary>Extends the lease while its owner still holds it; false when it does not (never claimed, finished, or lost).</summary>
    public async Task<bool> RenewLeaseAsync(string callSid, string owner, CancellationToken cancellationToken)
    {
        var expires = time.GetUtcNow() + LeaseDuration;
        return await db.CallLogs
            .Where(c => c.CallSid == callSid && c.ProcessingOwner == owner && c.PipelineStatus == PipelineStatus.Processing)
            .ExecuteUpdateAsync(set => set.SetProperty(c => c.ProcessingLeaseExpiresAt, expires), cancellationToken) > 0;
    }

    /// <summary>
    /// Gives up the lease when the run ends without finishing the call (a failed attempt, the worker stopping): the
    /// stream's redelivery, due within <see cref="WorkerOptions.ClaimIdleTime"/>, may claim it at once, and the
    /// reconciler leaves it to that redelivery until then.
    /// </summary>
    public Task ReleaseLeaseAsync(string callSid, string owner)
    {
        DateTimeOffset? retryDue = time.GetUtcNow() + LeaseDuration;
        return db.CallLogs
            .Where(c => c.CallSid == callSid && c.ProcessingOwner == owner)
            .ExecuteUpdateAsync(
                set => set
                    .SetProperty(c => c.ProcessingOwner, (string?)null)
                    .SetProperty(c => c.ProcessingLeaseExpiresAt, c => c.PipelineStatus == PipelineStatus.Processing ? retryDue : null),
                CancellationToken.None);
    }

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
