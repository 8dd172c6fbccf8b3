using System.Diagnostics;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using CallPipeline.Benchmarks.Measurement;
using CallPipeline.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CallPipeline.Benchmarks.Graph;

/// <summary>
/// The AppHost's whole graph (Postgres, Redis, migrator, voice, worker, webhook receiver, doubles), started from its
/// real model with Aspire.Hosting.Testing and changed only where a benchmark must see or steer it: the voice gateway
/// answers on its own port (no orchestrator proxy between the load and the gateway), exports its telemetry to the
/// benchmark's collector and asks the benchmark's Twilio side to start recordings; the Twilio double serves a
/// recording as soon as its callback went out (its 1 s "bad day" 404 window is Twilio's delay, not ours).
/// </summary>
public sealed class BenchmarkGraph : IAsyncDisposable
{
    public const string Voice = "voice";
    public const string Worker = "worker";
    public const string DevDoubles = "devdoubles";
    public const string CallsDb = "callsdb";

    /// <summary>The graph's long-running resources, as the README names them.</summary>
    public static readonly string[] LongRunning = ["postgres", CallsDb, "cache", Voice, Worker, "webhook-receiver", DevDoubles];

    /// <summary>The business the migrator seeds in Development; calls go to its number.</summary>
    public const string DemoBusinessNumber = "+97235550100";

    /// <summary>The snapshot property the orchestrator reports a process id in (Aspire's own name; its constant is internal).</summary>
    private const string ProcessIdProperty = "executable.pid";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);

    private readonly DistributedApplication _app;

    private BenchmarkGraph(DistributedApplication app, TwilioSide side, string workDirectory, TimeSpan startedIn, TwilioAccount twilio, ResourceLogLines logs)
    {
        _app = app;
        Side = side;
        WorkDirectory = workDirectory;
        StartedIn = startedIn;
        TwilioAccount = twilio;
        Logs = logs;
        side.Recordings.Account = twilio;
    }

    public DistributedApplication App => _app;

    /// <summary>Twilio's REST API, the OTLP collector and the business's webhook URL, as the graph sees them.</summary>
    public TwilioSide Side { get; }

    /// <summary>The run's own folder (the gateway's recordings, downloads); removed at the end.</summary>
    public string WorkDirectory { get; }

    public string RecordingsDirectory => Path.Combine(WorkDirectory, "recordings");

    /// <summary>From building the model to every long-running resource healthy.</summary>
    public TimeSpan StartedIn { get; }

    /// <summary>The run's Twilio account: the services take webhooks signed with its token, and call the REST API with it.</summary>
    public TwilioAccount TwilioAccount { get; }

    /// <summary>Every line each resource wrote.</summary>
    public ResourceLogLines Logs { get; }

    public Uri VoiceUrl => _app.GetEndpoint(Voice, "http");

    public Uri DevDoublesUrl => _app.GetEndpoint(DevDoubles, "http");

    /// <param name="voiceEnvironment">More environment for the voice gateway (<c>--gateway-env</c>), e.g. to try a runtime setting.</param>
    /// <param name="workerEnvironment">More environment for the worker (<c>--worker-env</c>).</param>
    public static async Task<BenchmarkGraph> StartAsync(
        IReadOnlyDictionary<string, string> voiceEnvironment, IReadOnlyDictionary<string, string> workerEnvironment, CancellationToken cancellationToken)
    {
        var work = Path.Combine(Path.GetTempPath(), "callpipeline-benchmarks", Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(work);
        var side = await TwilioSide.StartAsync(cancellationToken);
        try
        {
            return await StartAsync(side, work, voiceEnvironment, workerEnvironment, cancellationToken);
        }
        catch
        {
            await side.DisposeAsync();
            Directory.Delete(work, recursive: true);
            throw;
        }
    }

    private static async Task<BenchmarkGraph> StartAsync(
        TwilioSide side, string work, IReadOnlyDictionary<string, string> voiceEnvironment, IReadOnlyDictionary<string, string> workerEnvironment, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StartTimeout);
        var started = Stopwatch.GetTimestamp();
        // The AppHost echoes every resource's output to the console; here that is the benchmark's own, which prints results.
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.CallPipeline_AppHost>(["--AppHost:EchoOutput=false"], timeout.Token);
        builder.Services.AddLogging(logging => logging
            .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None)
            .AddFilter("CallPipeline.AppHost.Resources", LogLevel.None)
            .AddFilter("Aspire", LogLevel.Warning)
            .AddFilter("Microsoft", LogLevel.Warning));
        var collectorUrl = side.BaseUrl.ToString().TrimEnd('/');
        foreach (var project in builder.Resources.OfType<ProjectResource>().ToList())
        {
            // Telemetry as in production, to the benchmark's collector (the dashboard does not run here): the gateway's
            // frame-lag histogram comes back this way, and no service retries an exporter against nothing.
            builder.CreateResourceBuilder(project)
                .WithEnvironment("OTEL_EXPORTER_OTLP_ENDPOINT", collectorUrl)
                .WithEnvironment("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
                .WithEnvironment("OTEL_METRIC_EXPORT_INTERVAL", "1000")
                .WithEnvironment("OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE", "delta");
        }
        var voicePort = LocalPort.Free();
        var voice = builder.CreateResourceBuilder<ProjectResource>(Voice)
            .WithEndpoint("http", endpoint =>
            {
                endpoint.IsProxied = false;
                endpoint.Port = voicePort;
                endpoint.TargetPort = voicePort;
            })
            .WithEnvironment("Twilio__ApiBaseUrl", collectorUrl)
            .WithEnvironment("Voice__RecordingsPath", Path.Combine(work, "recordings"))
            // The gateway benchmark looks for the limit; the setting would turn calls away before it.
            .WithEnvironment("Voice__MaxConcurrentCalls", "1000000");
        foreach (var (key, value) in voiceEnvironment)
        {
            voice.WithEnvironment(key, value);
        }
        var worker = builder.CreateResourceBuilder<ProjectResource>(Worker);
        foreach (var (key, value) in workerEnvironment)
        {
            worker.WithEnvironment(key, value);
        }
        builder.CreateResourceBuilder<ProjectResource>(DevDoubles)
            .WithEnvironment("Twilio__Double__RecordingNotFoundFor", "00:00:00");
        var app = await builder.BuildAsync(timeout.Token);
        var logs = ResourceLogLines.Collect(app);
        try
        {
            await app.StartAsync(timeout.Token);
            foreach (var resource in LongRunning)
            {
                await app.ResourceNotifications.WaitForResourceHealthyAsync(resource, timeout.Token);
            }
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        var twilio = new TwilioAccount(await ParameterAsync(app, "twilio-account-sid"), await ParameterAsync(app, "twilio-auth-token"));
        return new BenchmarkGraph(app, side, work, Stopwatch.GetElapsedTime(started), twilio, logs);
    }

    public async Task<string> ConnectionStringAsync(string resource, CancellationToken cancellationToken) =>
        await _app.GetConnectionStringAsync(resource, cancellationToken) ?? throw new InvalidOperationException($"{resource} has no connection string.");

    /// <summary>A context on the graph's database, to set up a benchmark's business and read what the pipeline recorded.</summary>
    public async Task<CallPipelineDbContext> OpenCallsDbAsync(CancellationToken cancellationToken)
    {
        var options = new DbContextOptionsBuilder<CallPipelineDbContext>().UseNpgsql(await ConnectionStringAsync(CallsDb, cancellationToken));
        options.UseCallPipelineConventions();
        return new CallPipelineDbContext(options.Options);
    }

    /// <summary>The process the orchestrator started for the resource, once it has one.</summary>
    public async Task<int> ProcessIdOfAsync(string resource, CancellationToken cancellationToken)
    {
        var current = await _app.ResourceNotifications.WaitForResourceAsync(resource, e => ProcessId(e.Snapshot) is not null, cancellationToken);
        return ProcessId(current.Snapshot)!.Value;
    }

    /// <summary>
    /// The service's own process: Aspire runs a project under <c>dotnet run</c>, whose child is the service's host
    /// executable from its build folder (<c>…/bin/&lt;configuration&gt;/…</c>).
    /// </summary>
    public async Task<int> ServiceProcessIdAsync(string resource, CancellationToken cancellationToken)
    {
        var host = await ProcessIdOfAsync(resource, cancellationToken);
        var service = ProcessTree.Snapshot().FindInTree(host, $"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}")
            ?? throw new InvalidOperationException($"No process of {resource} runs from a build folder under {host}.");
        return service.Id;
    }

    private static int? ProcessId(CustomResourceSnapshot snapshot) =>
        snapshot.Properties.FirstOrDefault(p => p.Name == ProcessIdProperty)?.Value switch
        {
            int id => id,
            long id => (int)id,
            string text when int.TryParse(text, out var id) => id,
            _ => null,
        };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await Side.DisposeAsync();
        Directory.Delete(WorkDirectory, recursive: true);
    }

    private static async Task<string> ParameterAsync(DistributedApplication app, string name) =>
        await app.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<ParameterResource>().Single(p => p.Name == name)
            .GetValueAsync(CancellationToken.None)
        ?? throw new InvalidOperationException($"{name} has no value.");
}

/// <summary>A Twilio account as the services know it.</summary>
public sealed record TwilioAccount(string AccountSid, string AuthToken);
