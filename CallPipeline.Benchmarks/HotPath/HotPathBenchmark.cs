using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using CallPipeline.Benchmarks.Measurement;
using CallPipeline.Benchmarks.Reports;

namespace CallPipeline.Benchmarks.HotPath;

/// <summary>Runs <see cref="MediaFrameBenchmarks"/> with BenchmarkDotNet, in this process (no generated project to build).</summary>
public static class HotPathBenchmark
{
    /// <summary>About 20 ms of frames an iteration.</summary>
    private const int QuickInvocations = 4096;

    public static HotPathReport Run(BenchmarkOptions options)
    {
        // The quick run fixes the operations per iteration: BenchmarkDotNet's pilot, which finds that number, took most of
        // its 9 s, a CPU the rest of the test suite shares.
        var job = (options.Quick
                ? Job.ShortRun.WithIterationCount(3).WithWarmupCount(1).WithLaunchCount(1).WithInvocationCount(QuickInvocations).WithUnrollFactor(16)
                : Job.Default)
            .WithToolchain(InProcessEmitToolchain.Instance);
        var config = ManualConfig.CreateMinimumViable()
            .AddJob(job)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .WithArtifactsPath(Path.Combine(Path.GetTempPath(), "callpipeline-benchmarks", "BenchmarkDotNet"))
            // A quick run from the test suite runs a Debug build: numbers, not verdicts.
            .WithOptions(options.Quick ? ConfigOptions.DisableOptimizationsValidator : ConfigOptions.Default);
        var started = DateTimeOffset.UtcNow;
        var summary = BenchmarkRunner.Run<MediaFrameBenchmarks>(config);
        var results = summary.Reports.Select(r => new HotPathResult(
            r.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo,
            r.ResultStatistics?.Mean ?? double.NaN,
            r.GcStats.GetBytesAllocatedPerOperation(r.BenchmarkCase) ?? -1)).ToList();
        return new HotPathReport(started, MachineInfo.Current(), options.Quick, MachineInfo.LoadAverage(), results);
    }
}
