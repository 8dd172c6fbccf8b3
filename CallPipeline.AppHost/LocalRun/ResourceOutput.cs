using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Hosting;

namespace CallPipeline.AppHost.LocalRun;

/// <summary>
/// Streams every resource's output to the AppHost's console, one line each, prefixed with the resource's name, so an
/// operator can grep a run by CallSid without the dashboard; keeps each resource's last lines for failure reports.
/// </summary>
internal sealed partial class ResourceOutput(ResourceNotificationService notifications, ResourceLoggerService logs, LocalRunOptions options) : BackgroundService
{
    private const int KeptLines = 30;
    private readonly ConcurrentDictionary<string, Queue<string>> _lastLines = new();

    public IReadOnlyList<string> LastLines(string resourceName)
    {
        if (!_lastLines.TryGetValue(resourceName, out var lines))
        {
            return [];
        }
        lock (lines)
        {
            return [.. lines];
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var watched = new HashSet<string>();
        var watchers = new List<Task>();
        try
        {
            await foreach (var resourceEvent in notifications.WatchAsync(stoppingToken))
            {
                if (resourceEvent.IsShownToOperator() && watched.Add(resourceEvent.ResourceId))
                {
                    watchers.Add(EchoAsync(resourceEvent.Resource.Name, resourceEvent.ResourceId, stoppingToken));
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await Task.WhenAll(watchers);
    }

    private async Task EchoAsync(string resourceName, string resourceId, CancellationToken stoppingToken)
    {
        var prefix = $"{resourceName,-16} | ";
        var lastLines = _lastLines.GetOrAdd(resourceName, _ => new Queue<string>());
        try
        {
            await foreach (var batch in logs.WatchAsync(resourceId).WithCancellation(stoppingToken))
            {
                foreach (var line in batch)
                {
                    var content = OrchestratorTimestamp().Replace(line.Content, "");
                    if (options.EchoOutput)
                    {
                        (line.IsErrorMessage ? Console.Error : Console.Out).WriteLine(prefix + content);
                    }
                    lock (lastLines)
                    {
                        lastLines.Enqueue(content);
                        while (lastLines.Count > KeptLines)
                        {
                            lastLines.Dequeue();
                        }
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>The orchestrator stamps each line with the time it read it; the console reads better without.</summary>
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T[0-9:.]+Z ")]
    private static partial Regex OrchestratorTimestamp();
}
