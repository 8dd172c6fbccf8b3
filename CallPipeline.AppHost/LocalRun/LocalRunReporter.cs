using System.Globalization;
using Aspire.Hosting.Eventing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CallPipeline.AppHost.LocalRun;

/// <summary>
/// Waits until every resource is up, then prints the resource table, writes the <c>--state-file</c> and raises
/// <see cref="GraphReadyEvent"/>; a resource that fails to start is reported with its last output lines instead. Later
/// it reports every resource that dies or comes back, and rewrites the state file each time a state changes.
/// </summary>
internal sealed partial class LocalRunReporter(
    DistributedApplicationModel model,
    ResourceNotificationService notifications,
    ResourceOutput output,
    IDistributedApplicationEventing eventing,
    IServiceProvider services,
    IConfiguration configuration,
    LocalRunOptions options,
    ILogger<LocalRunReporter> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var resources = model.Resources.Where(r => r is not ParameterResource).ToList();
        var failures = await Task.WhenAll(resources.Select(r => WaitUntilUpAsync(r, stoppingToken)));
        if (failures.Any(failed => failed))
        {
            return;
        }

        var graph = await GraphState.CaptureAsync(model, notifications, DashboardLoginUrl(), stoppingToken);
        Console.Out.Write(graph.ToTable());
        if (options.StateFile is { } stateFile)
        {
            graph.WriteOwnerOnly(stateFile);
            LogStateFileWritten(Path.GetFullPath(stateFile));
        }
        LogAllUp();
        await eventing.PublishAsync(new GraphReadyEvent(services, graph.DashboardLoginUrl), stoppingToken);
        await FollowStateChangesAsync(graph, stoppingToken);
    }

    /// <summary>
    /// After the start, says when a resource dies (a crash, a kill) or comes back, with the resource table again, and keeps
    /// the state file current, so a script reading it sees what the dashboard shows. Aspire restarts nothing by itself:
    /// the dashboard's commands do.
    /// </summary>
    private async Task FollowStateChangesAsync(GraphState started, CancellationToken stoppingToken)
    {
        var states = started.Resources.ToDictionary(r => r.Name, r => r.State);
        try
        {
            await foreach (var change in notifications.WatchAsync(stoppingToken))
            {
                var name = change.Resource.Name;
                var state = change.Snapshot.State?.Text;
                if (!change.IsShownToOperator() || !states.TryGetValue(name, out var previous) || previous == state)
                {
                    continue;
                }
                states[name] = state;
                var ended = KnownResourceStates.TerminalStates.Contains(state) && !IsAwaitedForCompletion(change.Resource);
                var back = state == KnownResourceStates.Running && KnownResourceStates.TerminalStates.Contains(previous);
                if (ended)
                {
                    LogResourceEnded(name, state, change.Snapshot.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "none");
                }
                else if (back)
                {
                    LogResourceBack(name);
                }
                if (!ended && !back && options.StateFile is null)
                {
                    continue;
                }
                var current = await GraphState.CaptureAsync(model, notifications, started.DashboardLoginUrl, stoppingToken);
                if (ended || back)
                {
                    Console.Out.Write(current.ToTable());
                }
                if (options.StateFile is { } stateFile)
                {
                    current.WriteOwnerOnly(stateFile);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>True when the resource failed; the migrator counts as up once it exited 0.</summary>
    private async Task<bool> WaitUntilUpAsync(IResource resource, CancellationToken cancellationToken)
    {
        try
        {
            var initial = await notifications.WaitForResourceAsync(resource.Name, _ => true, cancellationToken);
            if (!initial.IsShownToOperator())
            {
                return false;
            }
            if (IsAwaitedForCompletion(resource))
            {
                var finished = await notifications.WaitForResourceAsync(resource.Name, e => KnownResourceStates.TerminalStates.Contains(e.Snapshot.State?.Text), cancellationToken);
                if (finished.Snapshot.ExitCode is 0)
                {
                    return false;
                }
                ReportFailure(resource, $"it exited with code {finished.Snapshot.ExitCode}");
                return true;
            }
            // A resource that ends before it is healthy is reported now; the dashboard can start it again later.
            var settled = await notifications.WaitForResourceAsync(resource.Name, e =>
                e.Snapshot.HealthStatus == HealthStatus.Healthy || KnownResourceStates.TerminalStates.Contains(e.Snapshot.State?.Text), cancellationToken);
            if (settled.Snapshot.HealthStatus == HealthStatus.Healthy)
            {
                return false;
            }
            ReportFailure(resource, $"it is {settled.Snapshot.State?.Text} (exit code {settled.Snapshot.ExitCode?.ToString() ?? "none"})");
            return true;
        }
        catch (DistributedApplicationException ex)
        {
            ReportFailure(resource, ex.Message);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return true;
        }
    }

    private bool IsAwaitedForCompletion(IResource resource) =>
        model.Resources.Any(r => r.Annotations.OfType<WaitAnnotation>().Any(w => w.Resource == resource && w.WaitType == WaitType.WaitForCompletion));

    private void ReportFailure(IResource resource, string reason)
    {
        var lastLines = output.LastLines(resource.Name);
        LogResourceFailed(resource.Name, reason, lastLines.Count, string.Join(Environment.NewLine, lastLines.Select(l => "  " + l)));
    }

    private string? DashboardLoginUrl() =>
        configuration["ASPNETCORE_URLS"]?.Split(';', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() is { } url
            && configuration["AppHost:BrowserToken"] is { Length: > 0 } token
            ? $"{url.TrimEnd('/')}/login?t={token}"
            : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "All resources are up. Press Ctrl+C to stop.")]
    private partial void LogAllUp();

    [LoggerMessage(Level = LogLevel.Information, Message = "Resource state written to {StateFile}")]
    private partial void LogStateFileWritten(string stateFile);

    [LoggerMessage(Level = LogLevel.Error, Message = "Resource '{Resource}' is {State} (exit code {ExitCode}); nothing restarts it: use the dashboard's Start or Restart command")]
    private partial void LogResourceEnded(string resource, string? state, string exitCode);

    [LoggerMessage(Level = LogLevel.Information, Message = "Resource '{Resource}' is running again")]
    private partial void LogResourceBack(string resource);

    [LoggerMessage(Level = LogLevel.Error, Message = "Resource '{Resource}' failed to start: {Reason}. Restart it from the dashboard once fixed. Last {Count} lines of its output:\n{LastLines}")]
    private partial void LogResourceFailed(string resource, string reason, int count, string lastLines);
}
