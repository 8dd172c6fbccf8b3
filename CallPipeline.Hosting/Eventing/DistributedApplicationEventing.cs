namespace CallPipeline.Hosting.Eventing;

/// <summary>An application lifecycle event, as in Aspire's eventing model.</summary>
public interface IDistributedApplicationEvent;

/// <summary>Raised in run mode once every resource is running and healthy (or completed).</summary>
public sealed record AfterResourcesCreatedEvent(DistributedApplication Application) : IDistributedApplicationEvent;

/// <summary>Subscriptions to lifecycle events; handlers run in the order they were added.</summary>
public sealed class DistributedApplicationEventing
{
    private readonly List<(Type EventType, Func<IDistributedApplicationEvent, CancellationToken, Task> Handler)> _subscriptions = [];

    public void Subscribe<TEvent>(Func<TEvent, CancellationToken, Task> handler) where TEvent : IDistributedApplicationEvent =>
        _subscriptions.Add((typeof(TEvent), (e, ct) => handler((TEvent)e, ct)));

    public async Task PublishAsync<TEvent>(TEvent applicationEvent, CancellationToken cancellationToken) where TEvent : IDistributedApplicationEvent
    {
        foreach (var (_, handler) in _subscriptions.Where(s => s.EventType == typeof(TEvent)))
        {
            await handler(applicationEvent, cancellationToken);
        }
    }
}
