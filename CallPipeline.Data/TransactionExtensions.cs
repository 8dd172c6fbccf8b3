using Microsoft.EntityFrameworkCore;

namespace CallPipeline.Data;

public static class TransactionExtensions
{
    /// <summary>
    /// Runs <paramref name="work"/> in a transaction, retried as a whole on transient failures (the retrying execution
    /// strategy allows a user transaction only inside one of its runs); the transaction commits when the work returns.
    /// Each run starts with an empty change tracker, unless <paramref name="keepTrackedChanges"/>: then entities changed
    /// before the call stay tracked, and the work saves them without accepting the changes, so a retried run writes them
    /// all again (the caller accepts them once this returns).
    /// </summary>
    public static Task<T> InTransactionAsync<T>(
        this DbContext db, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken, bool keepTrackedChanges = false) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
        {
            if (!keepTrackedChanges)
            {
                db.ChangeTracker.Clear();
            }
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var result = await work(ct);
            await transaction.CommitAsync(ct);
            return result;
        }, cancellationToken);

    /// <summary>
    /// <see cref="InTransactionAsync{T}"/> with synchronous database I/O, for a thread of its own: no continuation of
    /// the work then runs on the thread that completed its socket read.
    /// </summary>
    public static T InTransaction<T>(this DbContext db, Func<T> work) =>
        db.Database.CreateExecutionStrategy().Execute(() =>
        {
            db.ChangeTracker.Clear();
            using var transaction = db.Database.BeginTransaction();
            var result = work();
            transaction.Commit();
            return result;
        });
}
