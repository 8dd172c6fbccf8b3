extern alias benchmarks;

using benchmarks::CallPipeline.Benchmarks;

namespace CallPipeline.Tests.Benchmarks;

/// <summary>
/// The gateway benchmark's <c>--quick</c> mode end to end: real Postgres, Redis, the gateway process, the load
/// generator (and the Node.js baseline where node is installed). It proves the benchmark runs and measures; timings are
/// never asserted here, only that numbers come out and the results are written.
/// </summary>
[Trait("Category", "Graph")]
public sealed class QuickBenchmarkTests : IDisposable
{
    private readonly string _output = Path.Combine(Path.GetTempPath(), "callpipeline-benchmark-tests", Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public async Task The_quick_gateway_benchmark_measures_each_level_it_runs_and_writes_its_results()
    {
        var options = BenchmarkOptions.Parse(["gateway", "--quick", "--output", _output])!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));

        var (gateway, _) = await BenchmarkSuite.RunAsync(options, timeout.Token);

        var levels = gateway!.Levels.Where(l => l.Target == "gateway").ToList();
        Assert.NotEmpty(levels);
        Assert.All(levels, level =>
        {
            Assert.True(level.FramesSent > 0, "frames sent");
            Assert.True(level.FramesReceived > 0, "frames the gateway measured");
            Assert.True(level.CpuPercent > 0, "CPU");
            Assert.True(level.RssMiB > 0, "memory");
            Assert.True(level.FrameLagMaxMs >= level.FrameLagP99Ms && level.FrameLagP99Ms >= level.FrameLagP50Ms, "lag percentiles in order");
        });
        Assert.True(File.Exists(Path.Combine(_output, "benchmarks", "gateway.json")));
        Assert.StartsWith("<svg", await File.ReadAllTextAsync(Path.Combine(_output, "benchmarks", "gateway.svg")), StringComparison.Ordinal);
        Assert.Contains("| gateway | 10 |", await File.ReadAllTextAsync(Path.Combine(_output, "benchmarks.md")), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_output))
        {
            Directory.Delete(_output, recursive: true);
        }
    }
}
