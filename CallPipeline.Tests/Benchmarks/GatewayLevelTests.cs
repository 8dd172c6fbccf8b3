extern alias benchmarks;

using benchmarks::CallPipeline.Benchmarks;
using benchmarks::CallPipeline.Benchmarks.Gateway;
using benchmarks::CallPipeline.Benchmarks.Measurement;

namespace CallPipeline.Tests.Benchmarks;

/// <summary>
/// What the gateway benchmark holds a level to, and how it starts the gateway it measures: a level passes only with
/// every call streaming through its hold, and a gateway given a CPU of its own is told so.
/// </summary>
public sealed class GatewayLevelTests
{
    [Fact]
    public void A_level_with_every_call_streaming_and_its_frames_on_time_passes()
    {
        var (run, lag) = Level(calls: 3, lagMs: 4);

        Assert.Null(GatewayBenchmark.FailureReason(run, lag, finalized: 3, streamingAtHoldStart: 3));
    }

    [Fact]
    public void A_level_fails_when_a_call_is_not_yet_streaming_as_the_hold_begins_however_low_the_lag()
    {
        var (run, lag) = Level(calls: 3, lagMs: 4);

        Assert.Equal("1 calls not yet streaming as the hold began (setup p99 40 ms)",
            GatewayBenchmark.FailureReason(run, lag, finalized: 3, streamingAtHoldStart: 2));
    }

    [Fact]
    public void A_level_fails_at_frame_lag_p99_of_the_target()
    {
        var (run, lag) = Level(calls: 3, lagMs: 25);

        Assert.StartsWith("frame lag p99", GatewayBenchmark.FailureReason(run, lag, finalized: 3, streamingAtHoldStart: 3));
    }

    [Fact]
    public void The_gateway_on_a_CPU_of_its_own_is_told_it_has_one_unless_the_command_line_says_otherwise()
    {
        string? ProcessorCount(params string[] args) =>
            BenchmarkSuite.GatewayEnvironment(BenchmarkOptions.Parse(args)!).GetValueOrDefault("DOTNET_PROCESSOR_COUNT");

        Assert.Equal(CpuAffinity.Allowed().Count >= 2 ? "1" : null, ProcessorCount("gateway"));
        Assert.Equal(CpuAffinity.Allowed().Count >= 2 ? "1" : null, ProcessorCount("all"));
        Assert.Null(ProcessorCount("gateway", "--shared-cpus"));
        Assert.Null(ProcessorCount("worker"));
        Assert.Equal("2", ProcessorCount("gateway", "--gateway-env", "DOTNET_PROCESSOR_COUNT=2"));
    }

    /// <summary>A level of <paramref name="calls"/> calls, each sending ten frames measured at <paramref name="lagMs"/> and set up in 40 ms.</summary>
    private static (LevelRun Run, LagHistogram Lag) Level(int calls, double lagMs)
    {
        var run = new LevelRun(calls);
        var lag = new LagHistogram(LoadGenerator.LagBuckets);
        for (var call = 0; call < calls; call++)
        {
            run.StreamStarted(TimeSpan.FromMilliseconds(40));
            for (var frame = 0; frame < 10; frame++)
            {
                run.FrameSent();
                lag.Record(lagMs);
            }
        }
        return (run, lag);
    }
}
