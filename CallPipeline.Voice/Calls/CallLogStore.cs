using CallPipeline.Data;
using CallPipeline.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace CallPipeline.Voice.Calls;

/// <summary>
/// Changes to one call log under a row lock, so concurrent and duplicate Twilio callbacks for the same CallSid apply
/// one after the other and none is lost.
/// </summary>
public sealed class CallLogStore(CallPipelineDbContext db)
{
    public CallPipelineDbContext Db => db;

    /// <summary>Runs <paramref name="work"/> in a transaction, retried as a whole on transient failures.</summary>
    public Task<T> InTransactionAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var result = await work(ct);
            await transaction.CommitAsync(ct);
            return result;
        }, cancellationToken);

    /// <summary>
    /// The call log for <paramref name="callSid"/>, created if Twilio tells us about a call we have not seen
    /// (INSERT … ON CONFLICT DO NOTHING), and locked until the transaction ends.
    /// </summary>
    public async Task<CallLog> UpsertAndLockAsync(string callSid, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO call_logs (call_sid, direction, pipeline_status, started_at, processing_attempts, created_at, updated_at)
            VALUES ({callSid}, 'unknown', 'received', {now}, 0, {now}, {now})
            ON CONFLICT (call_sid) DO NOTHING
            """,
            cancellationToken);
        var rows = await db.CallLogs.FromSql($"SELECT * FROM call_logs WHERE call_sid = {callSid} FOR UPDATE").ToListAsync(cancellationToken);
        return rows.Single();
    }
}
