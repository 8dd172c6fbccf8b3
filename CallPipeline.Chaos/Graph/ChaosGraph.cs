using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CallPipeline.Chaos.Graph;

/// <summary>
/// The AppHost's real graph, as the chaos run drives it: its resources' processes, Aspire's resource commands (the
/// dashboard's stop, start, restart), clients for the services and connection strings for Postgres and Redis.
/// </summary>
public sealed class ChaosGraph(DistributedApplication app, string stateFile)
{
    /// <summary>How long the graph may take to be up; a loaded 2-core machine needs several minutes.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(10);

    /// <summary>The resources that run for the whole graph's life; each must be healthy again after every fault.</summary>
    public static readonly string[] LongRunning = ["postgres", "callsdb", "cache", "voice", "worker", "webhook-receiver", "devdoubles", "console"];

    /// <summary>How long a start command may take to show on the resource's state.</summary>
    private static readonly TimeSpan StartShowsWithin = TimeSpan.FromSeconds(30);

    /// <summary>Aspire's property that holds an executable's process id (KnownProperties.Executable.Pid, internal to Aspire).</summary>
    private const string ProcessIdProperty = "executable.pid";

    public DistributedApplication App { get; } = app;

    /// <summary>The AppHost's <c>--state-file</c>, which it keeps current as resources die and come back.</summary>
    public string StateFile { get; } = stateFile;

    /// <summary>The AppHost's graph with the <see cref="ShortTimings"/>, writing its state to <paramref name="stateFile"/>; not started.</summary>
    public static async Task<IDistributedApplicationTestingBuilder> CreateBuilderAsync(string stateFile, CancellationToken cancellationToken)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.CallPipeline_AppHost>(["--state-file", stateFile], cancellationToken);
        ShortTimings.ApplyTo(builder);
        return builder;
    }

    /// <summary>Builds and starts the graph and waits until every long-running resource is healthy.</summary>
    public static async Task<ChaosGraph> StartAsync(string stateFile, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StartTimeout);
        var builder = await CreateBuilderAsync(stateFile, timeout.Token);
        var app = await builder.BuildAsync(timeout.Token);
        await app.StartAsync(timeout.Token);
        var graph = new ChaosGraph(app, stateFile);
        await graph.WaitAllHealthyAsync(WaitBehavior.StopOnResourceUnavailable, timeout.Token);
        return graph;
    }

    public HttpClient Client(string resource) => App.CreateHttpClient(resource);

    public async Task<string> ConnectionStringAsync(string resource, CancellationToken cancellationToken) =>
        await App.GetConnectionStringAsync(resource, cancellationToken) ?? throw new InvalidOperationException($"{resource} has no connection string.");

    /// <summary>The process Aspire started for the resource: for a project that is <c>dotnet run</c>, whose child is the service.</summary>
    public async Task<int> ProcessIdAsync(string resource, CancellationToken cancellationToken)
    {
        var current = await App.ResourceNotifications.WaitForResourceAsync(resource, _ => true, cancellationToken);
        var property = current.Snapshot.Properties.FirstOrDefault(p => p.Name == ProcessIdProperty)?.Value;
        return property switch
        {
            int pid => pid,
            long pid => (int)pid,
            string text when int.TryParse(text, out var pid) => pid,
            _ => throw new InvalidOperationException($"{resource} has no process id in its snapshot ({current.Snapshot.State?.Text})."),
        };
    }

    /// <summary>
    /// Runs the dashboard's start command on an ended resource and waits until its state shows the start. The command
    /// can return while the snapshot still shows the ended state, which a health wait reads as a failed start.
    /// </summary>
    public static async Task StartCommandAsync(DistributedApplication app, string resource, CancellationToken cancellationToken)
    {
        var ended = (await app.ResourceNotifications.WaitForResourceAsync(resource, _ => true, cancellationToken)).Snapshot.State?.Text;
        var result = await app.ResourceCommands.ExecuteCommandAsync(resource, KnownResourceCommands.StartCommand, cancellationToken);
        if (!result.Success)
        {
            throw new InvalidOperationException($"{KnownResourceCommands.StartCommand} on {resource} failed: {result.Message}");
        }
        await app.ResourceNotifications.WaitForResourceAsync(resource, e => e.Snapshot.State?.Text != ended, cancellationToken);
    }

    /// <summary>Runs one of the resource's commands, as the dashboard's button does.</summary>
    public async Task CommandAsync(string resource, string command, CancellationToken cancellationToken)
    {
        var result = await App.ResourceCommands.ExecuteCommandAsync(resource, command, cancellationToken);
        if (!result.Success)
        {
            throw new InvalidOperationException($"{command} on {resource} failed: {result.Message}");
        }
    }

    /// <summary>
    /// Starts a resource that has ended with the dashboard's start command, and waits until it is healthy. The command
    /// waits for the resource's own dependencies (WaitFor) and fails when one of them is down meanwhile, as an operator's
    /// click would; like the operator, this tries again until it works.
    /// </summary>
    public async Task StartAgainAsync(string resource, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                // Bounded: a start that fails at once may show the same ended state again.
                using (var started = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    started.CancelAfter(StartShowsWithin);
                    await StartCommandAsync(App, resource, started.Token);
                }
                await WaitHealthyAsync(resource, cancellationToken);
                return;
            }
            catch (Exception ex) when (ex is InvalidOperationException or DistributedApplicationException
                || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }

    /// <summary>Waits until the resource has ended (exited, finished, failed); returns its snapshot then.</summary>
    public async Task<CustomResourceSnapshot> WaitEndedAsync(string resource, CancellationToken cancellationToken) =>
        (await App.ResourceNotifications.WaitForResourceAsync(resource, e => KnownResourceStates.TerminalStates.Contains(e.Snapshot.State?.Text), cancellationToken)).Snapshot;

    public Task WaitHealthyAsync(string resource, CancellationToken cancellationToken) =>
        App.ResourceNotifications.WaitForResourceHealthyAsync(resource, cancellationToken);

    /// <param name="waitBehavior">
    /// <see cref="WaitBehavior.StopOnResourceUnavailable"/> fails on a resource that has ended (a start that failed);
    /// <see cref="WaitBehavior.WaitOnResourceUnavailable"/> waits for it to come back (one a fault has stopped).
    /// </param>
    public async Task WaitAllHealthyAsync(WaitBehavior waitBehavior, CancellationToken cancellationToken)
    {
        foreach (var resource in LongRunning)
        {
            await App.ResourceNotifications.WaitForResourceHealthyAsync(resource, waitBehavior, cancellationToken);
        }
    }

    /// <summary>Whether every long-running resource reports healthy right now.</summary>
    public async Task<bool> AllHealthyAsync(CancellationToken cancellationToken)
    {
        foreach (var resource in LongRunning)
        {
            var current = await App.ResourceNotifications.WaitForResourceAsync(resource, _ => true, cancellationToken);
            if (current.Snapshot.HealthStatus != HealthStatus.Healthy)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The resource's state as the AppHost's state file says it, or null when the file does not name it.</summary>
    public string? StateInFile(string resource)
    {
        try
        {
            using var state = JsonDocument.Parse(File.ReadAllText(StateFile));
            return state.RootElement.GetProperty("resources").EnumerateArray()
                .Where(r => r.GetProperty("name").GetString() == resource)
                .Select(r => r.GetProperty("state").GetString())
                .FirstOrDefault();
        }
        catch (Exception ex) when (ex is IOException or JsonException or KeyNotFoundException)
        {
            return null;
        }
    }
}
