using System.Collections.Concurrent;

namespace CallPipeline.Voice.MediaStreams;

/// <summary>
/// Items handled one at a time, in order, on a thread of its own: the gateway's blocking work (file writes, synchronous
/// database I/O) kept off the socket engine's thread, where every live stream's frames are read, and off the thread
/// pool's threads, which the sockets need. <paramref name="handle"/> must not throw: an exception would end the thread.
/// </summary>
public sealed class DedicatedThreadQueue<T> : IDisposable
{
    private readonly BlockingCollection<T> _items = [];
    private readonly Thread _thread;

    public DedicatedThreadQueue(string threadName, Action<T> handle)
    {
        _thread = new Thread(() =>
        {
            foreach (var item in _items.GetConsumingEnumerable())
            {
                handle(item);
            }
        }) { IsBackground = true, Name = threadName };
        _thread.Start();
    }

    /// <summary>Queues <paramref name="item"/>; throws once the queue is disposed.</summary>
    public void Add(T item) => _items.Add(item);

    /// <summary>Handles what is queued (for at most 30 s), then stops the thread.</summary>
    public void Dispose()
    {
        _items.CompleteAdding();
        _thread.Join(TimeSpan.FromSeconds(30));
    }
}
