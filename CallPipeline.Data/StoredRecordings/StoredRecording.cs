using System.Buffers;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace CallPipeline.Data.StoredRecordings;

/// <summary>
/// The gateway's own recording of a call kept in Postgres, the source of truth every replica reaches, as chunks of
/// <see cref="ChunkBytes"/> in <c>recording_chunks</c> (a bytea row each, so no statement holds more than one chunk in
/// memory; large objects would need their own cleanup outside the rows they belong to). The gateway stores it when the
/// media stream ends; the worker reads it when Twilio's recording is missing; playback reads ranges of it; it is removed
/// once the call is processed from Twilio's recording, or when the recording's retention ends or the call is erased.
/// </summary>
public static class StoredRecording
{
    public const int ChunkBytes = 1024 * 1024;

    /// <summary>
    /// Stores the file at <paramref name="path"/> for the call and records its size (and no local path any more), all in
    /// one transaction: a reader sees the whole recording or none. A retried run starts over.
    /// </summary>
    /// <remarks>
    /// Every call's end stores one, so the chunk goes from a pooled buffer straight into the INSERT's parameter: a new
    /// array per chunk (and an exact-size copy for an entity) put 1.6 MB on the large object heap for each 20 s call, and
    /// a few hundred calls ending together stalled every live stream behind full collections. Synchronous: the gateway
    /// stores from a thread of its own (<c>RecordingStoreQueue</c>), so that none of this runs on its socket thread.
    /// </remarks>
    /// <returns>The bytes stored; 0 when the call's recording was erased meanwhile (then nothing is).</returns>
    public static long Save(CallPipelineDbContext db, long callLogId, string path) =>
        db.InTransaction(() =>
        {
            db.RecordingChunks.Where(c => c.CallLogId == callLogId).ExecuteDelete();
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
            var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
            long total = 0;
            try
            {
                for (var sequence = 0; ; sequence++)
                {
                    var read = file.ReadAtLeast(buffer.AsSpan(0, ChunkBytes), ChunkBytes, throwOnEndOfStream: false);
                    if (read == 0)
                    {
                        break;
                    }
                    var data = new NpgsqlParameter<ReadOnlyMemory<byte>>("data", NpgsqlDbType.Bytea) { TypedValue = buffer.AsMemory(0, read) };
                    db.Database.ExecuteSql(
                        $"INSERT INTO recording_chunks (call_log_id, sequence, data) VALUES ({callLogId}, {sequence}, {data})");
                    total += read;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
            var kept = db.CallLogs.Where(c => c.Id == callLogId && c.RecordingErasedAt == null).ExecuteUpdate(
                set => set.SetProperty(c => c.StoredRecordingBytes, total).SetProperty(c => c.LocalRecordingPath, (string?)null));
            if (kept == 0)
            {
                // Erased while it was being stored: nothing of it may stay.
                db.RecordingChunks.Where(c => c.CallLogId == callLogId).ExecuteDelete();
                return 0;
            }
            return total;
        });

    /// <summary>Writes the stored recording to <paramref name="target"/>, a chunk at a time.</summary>
    public static async Task CopyToAsync(CallPipelineDbContext db, long callLogId, Stream target, CancellationToken cancellationToken)
    {
        var chunks = db.RecordingChunks.AsNoTracking().Where(c => c.CallLogId == callLogId).OrderBy(c => c.Sequence).Select(c => c.Data).AsAsyncEnumerable();
        await foreach (var data in chunks.WithCancellation(cancellationToken))
        {
            await target.WriteAsync(data, cancellationToken);
        }
    }

    /// <summary>Removes the stored recording, in the caller's transaction when it has one.</summary>
    public static async Task DeleteAsync(CallPipelineDbContext db, long callLogId, CancellationToken cancellationToken)
    {
        await db.RecordingChunks.Where(c => c.CallLogId == callLogId).ExecuteDeleteAsync(cancellationToken);
        await db.CallLogs.Where(c => c.Id == callLogId && c.StoredRecordingBytes != null)
            .ExecuteUpdateAsync(set => set.SetProperty(c => c.StoredRecordingBytes, (long?)null), cancellationToken);
    }
}
