using Microsoft.EntityFrameworkCore;

namespace CallPipeline.Data.DeadLetters;

/// <summary>
/// Writes dead letters where the work gives up: the worker for recording jobs, the webhook dispatcher for deliveries.
/// Each is one upsert, in the caller's transaction when it has one: a second giving-up of the same work (a replay that
/// failed again) updates the row and opens it again, and the same stream entry dead-lettered twice (its Redis
/// acknowledgement lost) changes nothing.
/// </summary>
public static class DeadLetterWriter
{
    public const int MaxReasonLength = 2000;

    /// <param name="callSid">The job's call; null or unknown for an entry no job could be read from.</param>
    public static async Task RecordJobAsync(
        CallPipelineDbContext db, string? callSid, string? recordingSid, string streamEntryId, string reason, int deliveries, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var trimmed = Trim(reason);
        var forCall = callSid is null ? 0 : await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO dead_letters (kind, call_log_id, call_sid, business_id, recording_sid, stream_entry_id, reason, attempts,
                                      first_failed_at, last_failed_at, replay_count, created_at, updated_at)
            SELECT 'recording_job', c.id, c.call_sid, c.business_id, COALESCE({recordingSid}, c.recording_sid), {streamEntryId}, {trimmed}, {deliveries},
                   COALESCE(c.first_failed_at, {now}), {now}, 0, {now}, {now}
            FROM call_logs c WHERE c.call_sid = {callSid}
            ON CONFLICT (call_log_id) WHERE kind = 'recording_job' DO UPDATE
            SET reason = EXCLUDED.reason, attempts = dead_letters.attempts + EXCLUDED.attempts, recording_sid = EXCLUDED.recording_sid,
                stream_entry_id = EXCLUDED.stream_entry_id, last_failed_at = EXCLUDED.last_failed_at, replayed_at = NULL,
                updated_at = EXCLUDED.updated_at
            WHERE dead_letters.stream_entry_id IS DISTINCT FROM EXCLUDED.stream_entry_id
            """,
            cancellationToken);
        if (forCall > 0 || (callSid is not null && await db.DeadLetters.AnyAsync(d => d.CallSid == callSid && d.StreamEntryId == streamEntryId, cancellationToken)))
        {
            return;
        }
        // No call: nothing to replay, but the operator sees what arrived and why it was dropped.
        await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO dead_letters (kind, call_sid, recording_sid, stream_entry_id, reason, attempts, first_failed_at, last_failed_at, replay_count, created_at, updated_at)
            SELECT 'recording_job', {callSid}, {recordingSid}, {streamEntryId}, {trimmed}, {deliveries}, {now}, {now}, 0, {now}, {now}
            WHERE NOT EXISTS (SELECT 1 FROM dead_letters WHERE kind = 'recording_job' AND call_log_id IS NULL AND stream_entry_id = {streamEntryId})
            """,
            cancellationToken);
    }

    /// <param name="attempts">Every attempt the delivery made, all rounds.</param>
    public static Task RecordDeliveryAsync(
        CallPipelineDbContext db, long deliveryId, string reason, int attempts, DateTimeOffset firstFailedAt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var trimmed = Trim(reason);
        return db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO dead_letters (kind, call_log_id, call_sid, business_id, webhook_delivery_id, reason, attempts,
                                      first_failed_at, last_failed_at, replay_count, created_at, updated_at)
            SELECT 'webhook_delivery', d.call_log_id, c.call_sid, d.business_id, d.id, {trimmed}, {attempts}, {firstFailedAt}, {now}, 0, {now}, {now}
            FROM webhook_deliveries d JOIN call_logs c ON c.id = d.call_log_id WHERE d.id = {deliveryId}
            ON CONFLICT (webhook_delivery_id) WHERE webhook_delivery_id IS NOT NULL DO UPDATE
            SET reason = EXCLUDED.reason, attempts = EXCLUDED.attempts, last_failed_at = EXCLUDED.last_failed_at, replayed_at = NULL,
                updated_at = EXCLUDED.updated_at
            """,
            cancellationToken);
    }

    private static string Trim(string reason) => reason.Length <= MaxReasonLength ? reason : reason[..MaxReasonLength];
}
