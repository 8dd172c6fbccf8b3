using System.Collections.Concurrent;
using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace CallPipeline.Tests.Graph;

/// <summary>One line a resource wrote, with the time the orchestrator read it.</summary>
public sealed record ResourceLogLine(string ResourceName, DateTimeOffset Timestamp, string Text);

/// <summary>Collects every resource's output from Aspire's resource logger for the lifetime of an app.</summary>
public sealed class ResourceLogs
{
    private readonly ConcurrentQueue<ResourceLogLine> _lines = new();

    public static ResourceLogs Collect(DistributedApplication app)
    {
        var logs = new ResourceLogs();
        var loggers = app.Services.GetRequiredService<ResourceLoggerService>();
        var model = app.Services.GetRequiredService<DistributedApplicationModel>();
        foreach (var resource in model.Resources.Where(r => r is not ParameterResource))
        {
            _ = logs.WatchAsync(loggers, resource.Name);
        }
        return logs;
    }

    public IReadOnlyList<ResourceLogLine> GetLines(string resourceName) => [.. _lines.Where(l => l.ResourceName == resourceName)];

    public IReadOnlyList<ResourceLogLine> GetAllLines() => [.. _lines];

    private async Task WatchAsync(ResourceLoggerService loggers, string resourceName)
    {
        await foreach (var batch in loggers.WatchAsync(resourceName))
        {
            foreach (var line in batch)
            {
                _lines.Enqueue(Parse(resourceName, line.Content));
            }
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
