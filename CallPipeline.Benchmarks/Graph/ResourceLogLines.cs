using System.Collections.Concurrent;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CallPipeline.Benchmarks.Graph;

/// <summary>
/// What the resources write, read from Aspire's resource logger (the orchestrator captures each process's output, and
/// stamps each line with the time it read it) for the lifetime of the app. Read after a measurement, never while one runs.
/// </summary>
public sealed class ResourceLogLines
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _lines = new();

    /// <summary>Starts before the app does, so no line is missed; follows every instance of each resource (a restart is a new one).</summary>
    public static ResourceLogLines Collect(DistributedApplication app)
    {
        var log = new ResourceLogLines();
        var stopping = app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        _ = log.FollowAsync(app.ResourceNotifications, app.Services.GetRequiredService<ResourceLoggerService>(), stopping);
        return log;
    }

    public IEnumerable<string> Of(string resourceName) => _lines.TryGetValue(resourceName, out var lines) ? lines : [];

    /// <summary>Each resource's lines to <c>{folder}/{resource}.log</c>, for a reader who wants to see where the time went.</summary>
    public void WriteTo(string folder)
    {
        Directory.CreateDirectory(folder);
        foreach (var (resource, lines) in _lines)
        {
            File.WriteAllLines(Path.Combine(folder, resource + ".log"), lines);
        }
    }

    private async Task FollowAsync(ResourceNotificationService notifications, ResourceLoggerService loggers, CancellationToken stopping)
    {
        var followed = new HashSet<string>();
        try
        {
            await foreach (var resourceEvent in notifications.WatchAsync(stopping))
            {
                if (resourceEvent.Resource is not ParameterResource && followed.Add(resourceEvent.ResourceId))
                {
                    _ = ReadAsync(loggers, resourceEvent.Resource.Name, resourceEvent.ResourceId, stopping);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task ReadAsync(ResourceLoggerService loggers, string resourceName, string resourceId, CancellationToken stopping)
    {
        var lines = _lines.GetOrAdd(resourceName, _ => new ConcurrentQueue<string>());
        try
        {
            await foreach (var batch in loggers.WatchAsync(resourceId).WithCancellation(stopping))
            {
                foreach (var line in batch)
                {
                    lines.Enqueue(line.Content);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
