namespace CallPipeline.Hosting.Orchestration;

/// <summary>Publishes resource state changes and lets callers wait for a state, as Aspire's service of the same name.</summary>
public sealed class ResourceNotificationService
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ResourceSnapshot> _snapshots = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<(string Name, Func<ResourceSnapshot, bool> Predicate, TaskCompletionSource<ResourceSnapshot> Completion)> _waiters = [];

    public ResourceSnapshot? GetSnapshot(string resourceName)
    {
        lock (_lock)
        {
            return _snapshots.GetValueOrDefault(resourceName);
        }
    }

    public Task<ResourceSnapshot> WaitForResourceAsync(string resourceName, string targetState = KnownResourceStates.Running, CancellationToken cancellationToken = default) =>
        WaitForResourceAsync(resourceName, snapshot => snapshot.State == targetState, cancellationToken);

    /// <summary>Waits for one of <paramref name="targetStates"/> and returns the one reached.</summary>
    public async Task<string> WaitForResourceAsync(string resourceName, IEnumerable<string> targetStates, CancellationToken cancellationToken = default)
    {
        var states = targetStates.ToHashSet();
        var snapshot = await WaitForResourceAsync(resourceName, s => states.Contains(s.State), cancellationToken);
        return snapshot.State;
    }

    /// <summary>Waits until the resource runs and its health checks pass; fails if it stops first.</summary>
    public async Task WaitForResourceHealthyAsync(string resourceName, CancellationToken cancellationToken = default)
    {
        var snapshot = await WaitForResourceAsync(resourceName, s => s.IsHealthy || KnownResourceStates.IsTerminal(s.State), cancellationToken);
        if (!snapshot.IsHealthy)
        {
            throw new InvalidOperationException($"Resource '{resourceName}' stopped ({snapshot.State}, exit code {snapshot.ExitCode}) before it became healthy.");
        }
    }

    public async Task<ResourceSnapshot> WaitForResourceAsync(string resourceName, Func<ResourceSnapshot, bool> predicate, CancellationToken cancellationToken = default)
    {
        TaskCompletionSource<ResourceSnapshot> completion;
        lock (_lock)
        {
            if (_snapshots.TryGetValue(resourceName, out var current) && predicate(current))
            {
                return current;
            }
            completion = new TaskCompletionSource<ResourceSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((resourceName, predicate, completion));
        }
        await using var registration = cancellationToken.Register(() => completion.TrySetCanceled(cancellationToken));
        return await completion.Task;
    }

    internal void Publish(string resourceName, Func<ResourceSnapshot, ResourceSnapshot> update, string resourceType)
    {
        List<(TaskCompletionSource<ResourceSnapshot>, ResourceSnapshot)> completed = [];
        lock (_lock)
        {
            var snapshot = update(_snapshots.GetValueOrDefault(resourceName) ?? ResourceSnapshot.Initial(resourceType));
            _snapshots[resourceName] = snapshot;
            foreach (var waiter in _waiters.Where(w => string.Equals(w.Name, resourceName, StringComparison.OrdinalIgnoreCase) && w.Predicate(snapshot)).ToList())
            {
                _waiters.Remove(waiter);
                completed.Add((waiter.Completion, snapshot));
            }
        }
        foreach (var (completion, snapshot) in completed)
        {
            completion.TrySetResult(snapshot);
        }
    }
}
