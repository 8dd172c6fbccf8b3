extern alias benchmarks;

using benchmarks::CallPipeline.Benchmarks;
using benchmarks::CallPipeline.Benchmarks.Measurement;
using benchmarks::CallPipeline.Benchmarks.Reports;
using CallPipeline.Tests.Graph;

namespace CallPipeline.Tests.Benchmarks;

/// <summary>
/// <c>all --quick</c> end to end: the hot path, then the AppHost's graph (real Postgres, Redis, gateway, worker and
/// doubles) under the gateway load generator (with the ASP.NET Core baseline, and the Node.js one where node is installed), calls through the
/// whole pipeline for the latency and worker modes, and the graph's idle memory. It proves every mode runs and
/// measures; timings are never asserted here, only that numbers come out and the results are written.
/// </summary>
[Collection(OwnGraphCollection.Name)]
[Trait("Category", "Graph")]
public sealed class QuickBenchmarkTests : IDisposable
{
    private readonly string _output = Path.Combine(Path.GetTempPath(), "callpipeline-benchmark-tests", Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public async Task The_quick_run_of_every_benchmark_measures_each_one_and_writes_its_results()
    {
        var options = BenchmarkOptions.Parse(["all", "--quick", "--output", _output])!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));

        var results = await BenchmarkSuite.RunAsync(options, timeout.Token);

        Assert.All(results.HotPath!.Results, frame => Assert.True(frame.MeanNanoseconds > 0, $"{frame.Name}: ns per frame"));

        Assert.Equal(CpuAffinity.Allowed().Count >= 2, results.Gateway!.OwnCpu);
        var levels = results.Gateway.Levels.Where(l => l.Target == "gateway").ToList();
        Assert.NotEmpty(levels);
        Assert.All(levels, level =>
        {
            Assert.True(level.FramesSent > 0, "frames sent");
            Assert.True(level.FramesReceived > 0, "frames the gateway measured");
            Assert.True(level.CpuPercent > 0, "CPU");
            Assert.True(level.RssMiB > 0, "memory");
            Assert.True(level.CallSetupP99Ms > 0, "call setup");
            Assert.True(level.FrameLagMaxMs >= level.FrameLagP99Ms && level.FrameLagP99Ms >= level.FrameLagP50Ms, "lag percentiles in order");
            Assert.All([level.RampLagP99Ms, level.HoldLagP99Ms, level.EndLagP99Ms], phase => Assert.InRange(phase, 0, level.FrameLagMaxMs));
        });

        // The ASP.NET Core baseline needs nothing installed: it always runs, and is measured like the gateway.
        var aspNet = Assert.Single(results.Gateway.Levels, l => l.Target == GatewayReport.AspNetBaselineName);
        Assert.True(aspNet.FramesReceived > 0 && aspNet.CpuPercent > 0 && aspNet.Finalized == aspNet.Calls, "the ASP.NET Core baseline measured");
        Assert.All(results.Gateway.Levels, level => Assert.True(level.GeneratorCpuPercent > 0, $"{level.Target}: the generator's CPU"));

        Assert.All(results.Latency!.Rows, row =>
        {
            Assert.True(row.Calls > 0, $"{row.EndingTogether} ending together: calls measured");
            Assert.True(row.P50Ms > 0 && row.MaxMs >= row.P99Ms && row.P99Ms >= row.P50Ms, $"{row.EndingTogether} ending together: latencies in order");
        });
        Assert.NotEmpty(results.Latency.SingleCallSteps);

        var worker = results.Worker!;
        Assert.True(worker.WorkerPerMinute > 0, "recordings a minute through the worker");
        Assert.True(worker.FfmpegPerMinute > 0, "recordings a minute through bare ffmpeg");
        Assert.True(worker.MeanRecordingSeconds > 0, "recording length");
        Assert.Contains(worker.Steps, step => step.Step == "convert" && step.P50Ms > 0);
        Assert.Equal(CpuAffinity.Allowed().Count >= 2, worker.OwnCpu);

        var graph = results.Graph!;
        Assert.True(graph.UpSeconds > 0, "graph start");
        Assert.All(new[] { "postgres", "cache", "voice", "worker" }, resource =>
            Assert.Contains(graph.Resources, r => r.Resource == resource && r.RssMiB > 0 && r.PssMiB > 0));

        foreach (var mode in new[] { "hotpath", "gateway", "latency", "worker", "graph" })
        {
            Assert.True(File.Exists(Path.Combine(_output, "benchmarks", mode + ".json")), mode + ".json");
        }
        Assert.StartsWith("<svg", await File.ReadAllTextAsync(Path.Combine(_output, "benchmarks", "gateway.svg")), StringComparison.Ordinal);
        var markdown = await File.ReadAllTextAsync(Path.Combine(_output, "benchmarks.md"));
        Assert.Contains("| gateway | 10 |", markdown, StringComparison.Ordinal);
        Assert.Contains("## Worker throughput", markdown, StringComparison.Ordinal);
        Assert.Contains("## Recording callback to webhook delivered", markdown, StringComparison.Ordinal);
        Assert.Contains("## The graph: start and idle memory", markdown, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_output))
        {
            Directory.Delete(_output, recursive: true);
        }
    }
}
