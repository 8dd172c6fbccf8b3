using CallPipeline.Data;
using CallPipeline.Data.Entities;
using CallPipeline.Voice.Operator;
using CallPipeline.Voice.Outbox;
using CallPipeline.Webhooks.Redelivery;
using Microsoft.EntityFrameworkCore;

namespace CallPipeline.Voice.DeadLetters;

public enum ReplayOutcome
{
    /// <summary>Queued again now: a new recording job for the call, or a fresh round for the delivery.</summary>
    Replayed,
    /// <summary>Replayed before and not failed since: nothing new is queued.</summary>
    AlreadyReplayed,
    NotFound,
    /// <summary>There is nothing it could run: no call, no recording, or the call is being processed right now.</summary>
    NotReplayable,
}

public sealed record ReplayResult(ReplayOutcome Outcome, DeadLetter? Letter = null, string? Reason = null);

/// <summary>
/// Replays dead letters. Each replay locks its dead letter row and marks it replayed in the transaction that queues the
/// work again, so replaying twice (two clicks, two operators, a bulk replay over a single one) queues once; the worker's
/// lease and its idempotent save then process the call once, and the save keeps the one <c>webhook-id</c> per event. A
/// delivery is sent again under its own webhook-id. When the work fails again, the dead letter opens again.
/// </summary>
public sealed partial class DeadLetterReplay(CallPipelineDbContext db, OutboxSignal outboxSignal, TimeProvider time, ILogger<DeadLetterReplay> logger)
{
    public const int MaxBulk = 500;

    public async Task<ReplayResult> ReplayAsync(long id, CancellationToken cancellationToken)
    {
        var result = await db.InTransactionAsync(async ct =>
        {
            var letter = await db.DeadLetters.FromSql($"SELECT * FROM dead_letters WHERE id = {id} FOR UPDATE").SingleOrDefaultAsync(ct);
            if (letter is null)
            {
                return new ReplayResult(ReplayOutcome.NotFound);
            }
            if (letter.ReplayedAt is not null)
            {
                return new ReplayResult(ReplayOutcome.AlreadyReplayed, letter);
            }
            var now = time.GetUtcNow();
            var refused = letter.Kind == DeadLetterKind.RecordingJob ? await RequeueCallAsync(letter, now, ct) : await RequeueDeliveryAsync(letter, now, ct);
            if (refused is not null)
            {
                return new ReplayResult(ReplayOutcome.NotReplayable, letter, refused);
            }
            letter.ReplayedAt = now;
            letter.ReplayCount++;
            letter.UpdatedAt = now;
            await db.SaveChangesAsync(ct);
            return new ReplayResult(ReplayOutcome.Replayed, letter);
        }, cancellationToken);

        if (result.Outcome == ReplayOutcome.Replayed)
        {
            outboxSignal.Notify();
            LogReplayed(logger, id, result.Letter!.Kind, result.Letter.CallSid);
        }
        if (result.Letter is { WebhookDeliveryId: { } deliveryId })
        {
            result.Letter.WebhookDelivery = await db.WebhookDeliveries.AsNoTracking().SingleAsync(d => d.Id == deliveryId, cancellationToken);
        }
        return result;
    }

    /// <summary>Replays the open dead letters <paramref name="request"/> selects, oldest failure first, one transaction each.</summary>
    public async Task<BulkReplayResult> ReplayManyAsync(BulkReplayRequest request, CancellationToken cancellationToken)
    {
        // Npgsql writes timestamptz parameters in UTC only; a time sent with another offset is the same instant.
        var (from, to) = (request.From?.ToUniversalTime(), request.To?.ToUniversalTime());
        var open = db.DeadLetters.AsNoTracking()
            .Where(d => d.ReplayedAt == null
                && (request.BusinessId == null || d.BusinessId == request.BusinessId)
                && (request.Kind == null || d.Kind == request.Kind)
                && (from == null || d.LastFailedAt >= from)
                && (to == null || d.LastFailedAt < to));
        var ids = await open.OrderBy(d => d.LastFailedAt).ThenBy(d => d.Id).Select(d => d.Id).Take(request.Limit ?? MaxBulk).ToListAsync(cancellationToken);
        var replayed = new List<long>();
        var skipped = new List<SkippedReplay>();
        foreach (var id in ids)
        {
            var result = await ReplayAsync(id, cancellationToken);
            switch (result.Outcome)
            {
                case ReplayOutcome.Replayed:
                    replayed.Add(id);
                    break;
                case ReplayOutcome.NotReplayable:
                    skipped.Add(new SkippedReplay(id, result.Reason!));
                    break;
            }
        }
        return new BulkReplayResult(replayed, skipped, await open.CountAsync(cancellationToken) - skipped.Count);
    }

    public async Task<bool> DeleteAsync(long id, CancellationToken cancellationToken)
    {
        var deleted = await db.DeadLetters.Where(d => d.Id == id).ExecuteDeleteAsync(cancellationToken) > 0;
        if (deleted)
        {
            LogDeleted(logger, id);
        }
        return deleted;
    }

    /// <returns>Why the call cannot be queued again; null when it was, or when it is processed already (nothing left to run).</returns>
    private async Task<string?> RequeueCallAsync(DeadLetter letter, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (letter.CallLogId is not { } callId)
        {
            return "the stream entry named no known call, so there is nothing to process";
        }
        var call = await db.CallLogs.FromSql($"SELECT * FROM call_logs WHERE id = {callId} FOR UPDATE").SingleAsync(cancellationToken);
        if (call.PipelineStatus == PipelineStatus.Processed)
        {
            return null;
        }
        if (call.ErasureRequestedAt is not null)
        {
            return "the call's data was erased";
        }
        if (call.RecordingSid is null)
        {
            return "the call has no Twilio recording to process";
        }
        if (call.PipelineStatus == PipelineStatus.Processing && !call.IsProcessingAbandoned(now))
        {
            return "a worker is processing the call right now";
        }
        db.OutboxMessages.Add(CallReprocessing.Requeue(call, $"{call.RecordingSid}:replay:{letter.Id}:{letter.ReplayCount + 1}", now));
        return null;
    }

    /// <returns>Null: a delivery can always go again (one delivered meanwhile, by a redelivery, is left alone).</returns>
    private async Task<string?> RequeueDeliveryAsync(DeadLetter letter, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var delivery = await db.WebhookDeliveries.FromSql($"SELECT * FROM webhook_deliveries WHERE id = {letter.WebhookDeliveryId} FOR UPDATE").SingleAsync(cancellationToken);
        if (delivery.Status != WebhookDeliveryStatus.Delivered)
        {
            WebhookRedelivery.QueueAgain(delivery, now);
        }
        return null;
    }

    [LoggerMessage(1, LogLevel.Information, "Dead letter {DeadLetterId} ({Kind}) of call {CallSid} replayed by the operator")]
    private static partial void LogReplayed(ILogger logger, long deadLetterId, DeadLetterKind kind, string? callSid);

    [LoggerMessage(2, LogLevel.Information, "Dead letter {DeadLetterId} deleted by the operator")]
    private static partial void LogDeleted(ILogger logger, long deadLetterId);
}
