extern alias benchmarks;

using benchmarks::CallPipeline.Benchmarks.Gateway;
using benchmarks::CallPipeline.Benchmarks.Measurement;
using benchmarks::CallPipeline.Benchmarks.Reports;

namespace CallPipeline.Tests.Benchmarks;

/// <summary>
/// How the gateway benchmark's baselines count and compare: a baseline server's frame-lag buckets are the generator's,
/// and the report sets the gateway against both baselines and the ASP.NET Core baseline against the Node.js one.
/// </summary>
public sealed class BaselineComparisonTests
{
    [Fact]
    public void A_baseline_counts_each_frame_in_the_first_bucket_its_lag_fits_and_starts_again_after_a_reset_take()
    {
        var stats = new BaselineStats([1, 10]);

        stats.Frame(0.5);
        stats.Frame(1);
        stats.Frame(3);
        stats.Frame(40);
        stats.Finalized();
        var taken = stats.Take(reset: true);

        Assert.Equal((4L, 1, 40.0), (taken.Frames, taken.Finalized, taken.LagMax));
        Assert.Equal([2L, 1, 1], taken.LagCounts);
        var after = stats.Take(reset: false);
        Assert.Equal((0L, 0, 0.0), (after.Frames, after.Finalized, after.LagMax));
        Assert.Equal([0L, 0, 0], after.LagCounts);
    }

    [Fact]
    public void The_gateway_is_compared_with_both_baselines_and_the_ASP_NET_Core_baseline_with_Node_js_only()
    {
        var report = new GatewayReport(DateTimeOffset.UtcNow, MachineInfo.Current(), Quick: true,
            [Level("gateway", 16), Level(GatewayReport.NodeBaselineName, 20), Level(GatewayReport.AspNetBaselineName, 12)], [], OwnCpu: true);

        var rows = report.BaselineRatios().Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(2).Select(r => r.Trim()).ToList();

        Assert.Equal(
        [
            "| gateway | 10 | node-ws | 0.80 | 1.00 | 1.00 |",
            "| aspnet-ws | 10 | node-ws | 0.60 | 1.00 | 1.00 |",
            "| gateway | 10 | aspnet-ws | 1.33 | 1.00 | 1.00 |",
        ], rows);
    }

    [Fact]
    public void A_level_shows_the_generator_CPU_with_the_kernel_part_and_a_dash_for_results_measured_before_it()
    {
        var measured = Level("gateway", 16) with { GeneratorCpuPercent = 88.2, GeneratorKernelCpuPercent = 55.8 };

        Assert.Contains(" | 2.00 | 88 (56) | 40 | ", GatewayReport.Row(measured), StringComparison.Ordinal);
        Assert.Contains(" | 2.00 | — | 40 | ", GatewayReport.Row(Level("gateway", 16)), StringComparison.Ordinal);
    }

    private static LevelMeasurement Level(string target, double cpuMicrosecondsPerFrame) => new(
        target, Calls: 10, FramesSent: 500, FramesReceived: 500, FramesPerSecond: 500, FrameLagP50Ms: 1, FrameLagP99Ms: 4, FrameLagMaxMs: 9,
        RampLagP99Ms: 4, HoldLagP99Ms: 4, EndLagP99Ms: 4, PingRttP50Ms: 1, PingRttP99Ms: 2, CpuPercent: 5, cpuMicrosecondsPerFrame,
        RssMiB: 100, MemoryPerCallKiB: 50, Finalized: 10, Errors: 0, ErrorKinds: "", GeneratorLatenessP99Ms: 2, LoadAverage: 1,
        Passed: true, FailureReason: null, CallSetupP99Ms: 40);
}
