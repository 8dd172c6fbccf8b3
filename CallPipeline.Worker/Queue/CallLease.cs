using CallPipeline.Data;
using CallPipeline.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CallPipeline.Worker.Queue;

/// <summary>
/// The claim on a call while a job runs: a lease in Postgres (<see cref="CallLog.ProcessingOwner"/> until
/// <see cref="CallLog.ProcessingLeaseExpiresAt"/>), taken by the handler, renewed by the consumer's heartbeat for
/// <see cref="QueueOptions.ClaimIdleTime"/> at a time and released when the job ends. It keeps two runs of one call
/// apart even when Redis lost everything, and tells the reconciler which calls in processing nobody works on.
/// </summary>
public sealed class CallLease(CallPipelineDbContext db, IOptions<QueueOptions> options, TimeProvider time)
{
    private TimeSpan LeaseDuration => options.Value.ClaimIdleTime;

    /// <summary>
    /// Marks the call processing and takes its lease for <paramref name="owner"/>, unless another run holds a live one;
    /// then reloads <paramref name="call"/>, which must be tracked by this scope's context.
    /// </summary>
    /// <returns>False when another run holds the call (or it was processed meanwhile); nothing is written then.</returns>
    public async Task<bool> TryClaimAsync(CallLog call, string owner, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var expires = now + LeaseDuration;
        var claimed = await db.CallLogs
            .Where(c => c.Id == call.Id
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
        await db.Entry(call).ReloadAsync(cancellationToken);
        return true;
    }

    /// <summary>Extends the lease while its owner still holds it; false when it does not (never claimed, finished, or lost).</summary>
    public async Task<bool> RenewAsync(string callSid, string owner, CancellationToken cancellationToken)
    {
        var expires = time.GetUtcNow() + LeaseDuration;
        return await db.CallLogs
            .Where(c => c.CallSid == callSid && c.ProcessingOwner == owner && c.PipelineStatus == PipelineStatus.Processing)
            .ExecuteUpdateAsync(set => set.SetProperty(c => c.ProcessingLeaseExpiresAt, expires), cancellationToken) > 0;
    }

    /// <summary>
    /// Gives up the lease when the run ends without finishing the call (a failed attempt, the worker stopping): the
    /// stream's redelivery, due within <see cref="QueueOptions.ClaimIdleTime"/>, may claim it at once, and the
    /// reconciler leaves it to that redelivery until then.
    /// </summary>
    public Task ReleaseAsync(string callSid, string owner)
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
}
