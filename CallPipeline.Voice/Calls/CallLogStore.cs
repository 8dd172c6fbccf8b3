using CallPipeline.Data;
using CallPipeline.Data.Entities;
using CallPipeline.Data.Tracing;
using CallPipeline.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace CallPipeline.Voice.Calls;

/// <summary>
/// Changes to one call log under a row lock, so concurrent and duplicate Twilio callbacks for the same CallSid apply
/// one after the other and none is lost.
/// </summary>
public sealed class CallLogStore(CallPipelineDbContext db)
{
    /// <summary>Runs <paramref name="work"/> in a transaction, retried as a whole on transient failures.</summary>
    public Task<T> InTransactionAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        db.InTransactionAsync(work, cancellationToken);

    /// <summary>Saves the changes made to call logs (and rows added through the store) in this scope.</summary>
    public Task<int> SaveChangesAsync(CancellationToken cancellationToken) => db.SaveChangesAsync(cancellationToken);

    /// <summary>Whether the gateway has a call log for <paramref name="callSid"/>.</summary>
    public Task<bool> ExistsAsync(string callSid, CancellationToken cancellationToken) =>
        db.CallLogs.AsNoTracking().AnyAsync(c => c.CallSid == callSid, cancellationToken);

    /// <summary>The call log for <paramref name="callSid"/>, locked until the transaction ends; null when there is none.</summary>
    public Task<CallLog?> FindAndLockAsync(string callSid, CancellationToken cancellationToken) =>
        db.CallLogs.FromSql($"SELECT * FROM call_logs WHERE call_sid = {callSid} FOR UPDATE").SingleOrDefaultAsync(cancellationToken);

    /// <summary>The outbox row of <paramref name="topic"/> with <paramref name="messageKey"/>, if one was written.</summary>
    public Task<OutboxMessage?> FindOutboxMessageAsync(string topic, string messageKey, CancellationToken cancellationToken) =>
        db.OutboxMessages.SingleOrDefaultAsync(m => m.Topic == topic && m.MessageKey == messageKey, cancellationToken);

    /// <summary>Adds an outbox row, written with the next <see cref="SaveChangesAsync"/>.</summary>
    public void AddOutboxMessage(OutboxMessage message) => db.OutboxMessages.Add(message);

    /// <summary>Queues the call's <paramref name="eventType"/> webhook to its business, if it has a URL for it, with the next save.</summary>
    public Task AddWebhookDeliveryAsync(CallLog call, string eventType, CancellationToken cancellationToken) =>
        CallWebhooks.AddDeliveryAsync(db, call, eventType, cancellationToken);

    /// <summary>The trace the call's first request established; null for a call not seen yet.</summary>
    public async Task<TraceContext?> FindTraceAsync(string callSid, CancellationToken cancellationToken)
    {
        var stored = await db.CallLogs.AsNoTracking()
            .Where(c => c.CallSid == callSid)
            .Select(c => new { c.TraceParent, c.TraceState })
            .SingleOrDefaultAsync(cancellationToken);
        return stored is null ? null : TraceContext.From(stored.TraceParent, stored.TraceState);
    }

    /// <summary>
    /// The call log for <paramref name="callSid"/>, created if Twilio tells us about a call we have not seen
    /// (INSERT … ON CONFLICT DO NOTHING), and locked until the transaction ends. A call without a trace yet gets
    /// <paramref name="trace"/>, saved with the caller's changes.
    /// </summary>
    public async Task<CallLog> UpsertAndLockAsync(string callSid, DateTimeOffset now, TraceContext? trace, CancellationToken cancellationToken)
    {
        await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO call_logs (call_sid, direction, pipeline_status, started_at, processing_attempts, created_at, updated_at)
            VALUES ({callSid}, 'unknown', 'received', {now}, 0, {now}, {now})
            ON CONFLICT (call_sid) DO NOTHING
            """,
            cancellationToken);
        var call = (await db.CallLogs.FromSql($"SELECT * FROM call_logs WHERE call_sid = {callSid} FOR UPDATE").ToListAsync(cancellationToken)).Single();
        call.EstablishTrace(trace);
        return call;
    }

    /// <summary>
    /// Binds the call to one media stream: one atomic UPDATE that succeeds only for an answered call (a business, not
    /// rejected) with no stream yet and none finished, so a second socket on the same token, whatever streamSid it
    /// gives, finds the call taken. Returns whether it claimed the call, and the call as it is now (null when none).
    /// </summary>
    public async Task<(bool Claimed, CallLog? Call)> ClaimMediaStreamAsync(string callSid, string streamSid, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var claimed = await db.CallLogs
            .Where(c => c.CallSid == callSid && c.BusinessId != null && c.PipelineStatus != PipelineStatus.Rejected
                && c.StreamFinalizedAt == null && c.MediaStreamSid == null)
            .ExecuteUpdateAsync(s => s
                .SetProperty(c => c.MediaStreamSid, streamSid)
                .SetProperty(c => c.PipelineStatus, c => c.PipelineStatus == PipelineStatus.Received ? PipelineStatus.InProgress : c.PipelineStatus)
                .SetProperty(c => c.UpdatedAt, now),
                cancellationToken);
        var call = await db.CallLogs.AsNoTracking().SingleOrDefaultAsync(c => c.CallSid == callSid, cancellationToken);
        return (claimed > 0 && call is not null, call);
    }
}
