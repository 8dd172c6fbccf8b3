using Microsoft.EntityFrameworkCore;

namespace CallPipeline.Data;

public static class TransactionExtensions
{
    /// <summary>
    /// Runs <paramref name="work"/> in a transaction, retried as a whole on transient failures (the retrying execution
    /// strategy allows a user transaction only inside one of its runs). Each run starts with an empty change tracker.
    /// </summary>
    public static Task<T> InTransactionAsync<T>(this CallPipelineDbContext db, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var result = await work(ct);
            await transaction.CommitAsync(ct);
            return result;
        }, cancellationToken);
}
