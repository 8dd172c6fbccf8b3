using CallPipeline.Data;
using CallPipeline.Data.StoredRecordings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CallPipeline.Voice.MediaStreams;

/// <summary>
/// Moves finalized calls' recordings from the gateway's folder into Postgres, one at a time, on a thread of its own with
/// synchronous database I/O, and deletes each file once it is stored.
/// </summary>
/// <remarks>
/// The gateway runs socket continuations inline, so awaited database I/O continues on the socket engine's thread: about
/// a megabyte of INSERTs a call, written there while a few hundred calls ended together, held up every live stream's
/// frames (frame lag p99 while calls ended, 250 and 500 calls: 145 and 45 ms, 138 and 47 ms). Here the operating system
/// shares the CPU between this thread and the socket thread instead (12 and 27 ms, 19 and 15 ms; docs/benchmarks.md).
/// </remarks>
public sealed class RecordingStoreQueue : IDisposable
{
    private readonly IServiceScopeFactory _scopes;
    private readonly IOptions<VoiceOptions> _options;
    private readonly DedicatedThreadQueue<Store> _stores;

    public RecordingStoreQueue(IServiceScopeFactory scopes, IOptions<VoiceOptions> options)
    {
        _scopes = scopes;
        _options = options;
        _stores = new DedicatedThreadQueue<Store>("recording-store", Run);
    }

    /// <summary>
    /// The bytes stored (0 when the call's recording was erased meanwhile), once the file at <paramref name="path"/> is
    /// in Postgres and deleted; faulted when Postgres refused it, and the file then stays.
    /// </summary>
    public Task<long> StoreAsync(long callLogId, string path)
    {
        var store = new Store(callLogId, path, new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));
        _stores.Add(store);
        return store.Stored.Task;
    }

    /// <summary>Stores what is queued, then stops the thread.</summary>
    public void Dispose() => _stores.Dispose();

    private void Run(Store store)
    {
        try
        {
            using var scope = _scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<CallPipelineDbContext>();
            // A statement may take this long: a long call's recording takes longer to store than other statements.
            db.Database.SetCommandTimeout(_options.Value.RecordingStoreTimeout);
            var bytes = StoredRecording.Save(db, store.CallLogId, store.Path);
            File.Delete(store.Path);
            store.Stored.SetResult(bytes);
        }
        catch (Exception exception)
        {
            store.Stored.SetException(exception);
        }
    }

    private sealed record Store(long CallLogId, string Path, TaskCompletionSource<long> Stored);
}
