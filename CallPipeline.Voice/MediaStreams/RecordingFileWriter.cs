using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace CallPipeline.Voice.MediaStreams;

/// <summary>
/// Writes every call's local recording on one dedicated thread, so a media stream's receive loop never waits on the
/// disk: it fills a chunk in memory and hands it over. File writes on Linux are blocking system calls whatever API
/// issues them; made from the thread pool, a slow disk would hold the very threads the sockets need.
/// </summary>
public sealed partial class RecordingFileWriter : IDisposable
{
    /// <summary>A quarter of a second of 8 kHz 16-bit stereo: the most a live call holds in memory for its file.</summary>
    public const int ChunkBytes = 8 * 1024;

    private readonly ArrayPool<byte> _chunks = ArrayPool<byte>.Create(ChunkBytes, 1024);
    private readonly ILogger<RecordingFileWriter> _logger;
    private readonly DedicatedThreadQueue<Operation> _operations;

    public RecordingFileWriter(ILogger<RecordingFileWriter> logger)
    {
        _logger = logger;
        _operations = new DedicatedThreadQueue<Operation>("recording-file-writer", Run);
    }

    internal byte[] RentChunk() => _chunks.Rent(ChunkBytes);

    /// <summary>Appends <paramref name="length"/> bytes of <paramref name="chunk"/> to the file and returns the chunk to the pool.</summary>
    internal void Append(RecordingFile file, byte[] chunk, int length) => _operations.Add(new Operation(file, chunk, length, null));

    /// <summary>Writes <paramref name="header"/> at the start of the file and closes it; then the file's completion is set.</summary>
    internal void Complete(RecordingFile file, byte[] header) => _operations.Add(new Operation(file, null, 0, header));

    public void Dispose() => _operations.Dispose();

    private void Run(Operation operation)
    {
        if (operation.Header is { } header)
        {
            Close(operation.File, header);
        }
        else
        {
            Write(operation.File, operation.Chunk!, operation.Length);
        }
    }

    private void Write(RecordingFile file, byte[] chunk, int length)
    {
        try
        {
            if (!file.Failed)
            {
                file.Handle ??= Open(file);
                RandomAccess.Write(file.Handle, chunk.AsSpan(0, length), file.Position);
                file.Position += length;
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            Fail(file, exception);
        }
        finally
        {
            _chunks.Return(chunk);
        }
    }

    private void Close(RecordingFile file, byte[] header)
    {
        try
        {
            if (!file.Failed)
            {
                file.Handle ??= Open(file);
                RandomAccess.Write(file.Handle, header, 0);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            Fail(file, exception);
        }
        finally
        {
            file.Handle?.Dispose();
            file.Completion.TrySetResult(!file.Failed);
        }
    }

    private static SafeFileHandle Open(RecordingFile file)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file.Path)!);
        var handle = File.OpenHandle(file.Path, FileMode.Create, FileAccess.Write, FileShare.Read);
        file.Position = file.HeaderLength;
        return handle;
    }

    private void Fail(RecordingFile file, Exception exception)
    {
        file.Failed = true;
        LogWriteFailed(_logger, Path.GetFileName(file.Path), exception);
    }

    private readonly record struct Operation(RecordingFile File, byte[]? Chunk, int Length, byte[]? Header);

    [LoggerMessage(1, LogLevel.Error, "Local recording {File} could not be written; the call keeps going without it")]
    private static partial void LogWriteFailed(ILogger logger, string file, Exception exception);
}

/// <summary>One recording's file as the writer thread sees it; only that thread touches it after creation.</summary>
internal sealed class RecordingFile(string path, int headerLength)
{
    public string Path => path;

    public int HeaderLength => headerLength;

    public SafeFileHandle? Handle { get; set; }

    public long Position { get; set; }

    public bool Failed { get; set; }

    /// <summary>True once the file is complete on disk; false when it could not be written.</summary>
    public TaskCompletionSource<bool> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
