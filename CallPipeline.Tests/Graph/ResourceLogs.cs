using System.Collections.Concurrent;
using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CallPipeline.Tests.Graph;

/// <summary>One line a resource wrote, with the time the orchestrator read it.</summary>
public sealed record ResourceLogLine(string ResourceName, DateTimeOffset Timestamp, string Text);

/// <summary>Collects every resource's output from Aspire's resource logger for the lifetime of an app.</summary>
public sealed class ResourceLogs
{
    private readonly ConcurrentQueue<ResourceLogLine> _lines = new();

    /// <summary>Starts collecting before the app starts, so no line is missed; stops when the app stops.</summary>
    public static ResourceLogs Collect(DistributedApplication app)
    {
        var logs = new ResourceLogs();
        _ = logs.DiscoverAsync(app.ResourceNotifications, app.Services.GetRequiredService<ResourceLoggerService>(), app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);
        return logs;
    }

    public IReadOnlyList<ResourceLogLine> GetLines(string resourceName) => [.. _lines.Where(l => l.ResourceName == resourceName)];

    public IReadOnlyList<ResourceLogLine> GetAllLines() => [.. _lines];

    /// <summary>Logs are kept per resource instance (its id), which only the notifications name.</summary>
    private async Task DiscoverAsync(ResourceNotificationService notifications, ResourceLoggerService loggers, CancellationToken stopping)
    {
        var watched = new HashSet<string>();
        try
        {
            await foreach (var resourceEvent in notifications.WatchAsync(stopping))
            {
                if (resourceEvent.Resource is not ParameterResource && watched.Add(resourceEvent.ResourceId))
                {
                    _ = WatchAsync(loggers, resourceEvent.Resource.Name, resourceEvent.ResourceId, stopping);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task WatchAsync(ResourceLoggerService loggers, string resourceName, string resourceId, CancellationToken stopping)
    {
        try
        {
            await foreach (var batch in loggers.WatchAsync(resourceId).WithCancellation(stopping))
            {
                foreach (var line in batch)
                {
                    _lines.Enqueue(Parse(resourceName, line.Content));
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>The orchestrator prefixes each line with the UTC time it read it.</summary>
    private static ResourceLogLine Parse(string resourceName, string content)
    {
        var space = content.IndexOf(' ');
        return space > 0 && DateTimeOffset.TryParse(content[..space], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var timestamp)
            ? new ResourceLogLine(resourceName, timestamp, content[(space + 1)..])
            : new ResourceLogLine(resourceName, DateTimeOffset.UtcNow, content);
    }
}
