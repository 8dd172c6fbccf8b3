using Microsoft.EntityFrameworkCore;

namespace CallPipeline.Data.StoredRecordings;

/// <summary>
/// A stored recording, read one chunk at a time from Postgres wherever it is positioned, so ASP.NET Core's range
/// processing can serve byte ranges of it without loading the rest. Written by hand: Npgsql reads a bytea column whole
/// or forwards only, one row at a time; nothing seeks across rows.
/// </summary>
public sealed class StoredRecordingStream(CallPipelineDbContext db, long callLogId, long length) : SeekableReadStream
{
    private byte[]? _chunk;
    private int _chunkSequence = -1;

    public override long Length => length;

    protected override async ValueTask<int> ReadAtAsync(long position, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var sequence = (int)(position / StoredRecording.ChunkBytes);
        if (sequence != _chunkSequence)
        {
            _chunk = await db.RecordingChunks.AsNoTracking()
                .Where(c => c.CallLogId == callLogId && c.Sequence == sequence)
                .Select(c => c.Data)
                .SingleOrDefaultAsync(cancellationToken)
                ?? throw new IOException($"Chunk {sequence} of the stored recording is missing (erased while it was read?).");
            _chunkSequence = sequence;
        }
        var offset = (int)(position - ((long)sequence * StoredRecording.ChunkBytes));
        var count = Math.Min(buffer.Length, _chunk!.Length - offset);
        if (count <= 0)
        {
            throw new IOException($"The stored recording ends before its recorded length of {length} bytes.");
        }
        _chunk.AsMemory(offset, count).CopyTo(buffer);
        return count;
    }
}
