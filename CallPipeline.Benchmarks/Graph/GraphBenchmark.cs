using System.Diagnostics;
using System.Reflection;
using CallPipeline.Benchmarks.Measurement;
using CallPipeline.Benchmarks.Reports;

namespace CallPipeline.Benchmarks.Graph;

/// <summary>
/// The graph as a developer runs it: the README's run command on the built AppHost, timed to the moment every resource
/// is up (the AppHost writes its <c>--state-file</c> then), and the idle graph's memory by resource a little later.
/// A quick run measures the benchmark's own graph instead (started by Aspire.Hosting.Testing, no dashboard).
/// </summary>
public sealed class GraphBenchmark(BenchmarkOptions options)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(15);

    /// <summary>Runs the built AppHost with its run command, measures it, and stops it.</summary>
    public async Task<GraphReport> RunCommandAsync(CancellationToken cancellationToken)
    {
        var configuration = typeof(GraphBenchmark).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        var appHost = Path.Combine(BenchmarkOptions.RepositoryRoot(), "CallPipeline.AppHost");
        var work = Directory.CreateTempSubdirectory("callpipeline-graph-benchmark").FullName;
        var stateFile = Path.Combine(work, "state.json");
        string[] arguments = ["run", "--no-build", "-c", configuration, "--project", appHost, "--no-launch-profile", "--", "--state-file", stateFile];
        // The http launch profile's settings, on free ports, so a developer's graph running on this machine is no obstacle.
        var environment = new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_URLS"] = $"http://localhost:{LocalPort.Free()}",
            ["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://localhost:{LocalPort.Free()}",
            ["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"] = $"http://localhost:{LocalPort.Free()}",
            ["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true",
            ["DcpPublisher__RandomizePorts"] = "true",
        };
        var load = MachineInfo.LoadAverage();
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.GetTimestamp();
        await using var run = ServerProcess.Start("dotnet", arguments, BenchmarkOptions.RepositoryRoot(), environment, Path.Combine(work, "apphost.log"));
        int? appHostPid = null;
        try
        {
            await run.WaitForFileAsync(stateFile, StartTimeout, cancellationToken);
            var upIn = Stopwatch.GetElapsedTime(clock);
            Console.WriteLine($"graph: the run command had every resource up in {upIn.TotalSeconds:0.0} s");
            appHostPid = ProcessTree.Snapshot().FindInTree(run.Id, $"CallPipeline.AppHost{Path.DirectorySeparatorChar}bin")?.Id
                ?? throw new InvalidOperationException("The run command started no AppHost.");
            await Task.Delay(Idle, cancellationToken);
            return new GraphReport(started, MachineInfo.Current(), options.Quick, load,
                $"`dotnet run -c {configuration} --no-build --project CallPipeline.AppHost` (built; the http launch profile's settings on free ports)",
                upIn.TotalSeconds, Idle.TotalSeconds, GraphProcesses.OfAppHost(run.Id, appHostPid.Value));
        }
        finally
        {
            // The AppHost stops its resources on SIGTERM, as on Ctrl+C; the run command then exits with it.
            if (appHostPid is { } pid)
            {
                await ServerProcess.TerminateAsync(pid, TimeSpan.FromSeconds(60));
            }
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>The benchmark's own graph, already up: how long it took, and its idle memory (the AppHost runs inside the benchmark here and is not counted).</summary>
    public async Task<GraphReport> BenchmarkGraphAsync(BenchmarkGraph graph, CancellationToken cancellationToken)
    {
        var idle = TimeSpan.FromSeconds(2);
        await Task.Delay(idle, cancellationToken);
        return new GraphReport(DateTimeOffset.UtcNow, MachineInfo.Current(), options.Quick, MachineInfo.LoadAverage(),
            "the benchmark's graph (Aspire.Hosting.Testing, no dashboard; the AppHost runs in the benchmark's process and is not counted)",
            graph.StartedIn.TotalSeconds, idle.TotalSeconds, GraphProcesses.OfResource(await graph.ProcessIdOfAsync(BenchmarkGraph.Voice, cancellationToken)));
    }
}
