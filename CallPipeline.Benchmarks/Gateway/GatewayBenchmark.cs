extern alias voice;

using System.Diagnostics;
using CallPipeline.Benchmarks.Graph;
using CallPipeline.Benchmarks.Measurement;
using CallPipeline.Benchmarks.Reports;
using voice::CallPipeline.Voice;

namespace CallPipeline.Benchmarks.Gateway;

/// <summary>
/// Ramps concurrent calls against each target (the AppHost graph's voice gateway, the Node.js and ASP.NET Core baselines), each on a CPU
/// of its own (<see cref="OwnCpu"/>) unless <see cref="BenchmarkOptions.SharedCpus"/>: the load generator plays Twilio,
/// whose machines are not the gateway's. A level
/// fails at frame lag p99 of 20 ms or more, a frame lost, a call not finalized exactly once, or an error; every target
/// runs the first levels (up to 1000 calls) so they compare level by level, and goes on past them only while it passes.
/// </summary>
public sealed class GatewayBenchmark(BenchmarkOptions options)
{
    private const int ComparedUpTo = 1000;
    private static readonly int[] QuickLevels = [10];
    private static readonly TimeSpan ExportWait = TimeSpan.FromSeconds(2.5);

    public async Task<GatewayReport> RunAsync(BenchmarkGraph graph, CancellationToken cancellationToken)
    {
        int[] levels = options.Levels is { } chosen ? [.. chosen] : options.Quick ? QuickLevels : [100, 250, 500, 1000, 1500, 2000, 3000, 4000];
        var started = DateTimeOffset.UtcNow;
        var results = new List<LevelMeasurement>();
        var notes = new List<string>
        {
            $"`Voice:MaxConcurrentCalls` defaults to {new VoiceOptions().MaxConcurrentCalls:#,0} calls per instance; the benchmark lifts it to find the limit "
                + "(a call past the setting is answered busy).",
        };
        var targets = new List<Func<IGatewayTarget>> { () => new GraphVoiceTarget(graph) };
        if (options.GatewayEnvironment.Count > 0)
        {
            notes.Add("The gateway ran with " + string.Join(", ", options.GatewayEnvironment.Select(e => $"`{e.Key}={e.Value}`")) + ".");
        }
        if (options.Baseline && NodeBaselineTarget.Unavailable() is { } missing)
        {
            notes.Add($"No Node.js baseline: {missing}.");
        }
        else if (options.Baseline)
        {
            targets.Add(() => new NodeBaselineTarget(Path.Combine(graph.WorkDirectory, "node")));
        }
        if (options.Baseline)
        {
            targets.Add(() => new AspNetBaselineTarget(Path.Combine(graph.WorkDirectory, "aspnet")));
        }

        var graphPid = await graph.ServiceProcessIdAsync(BenchmarkGraph.Voice, cancellationToken);
        var ownCpu = false;
        foreach (var create in targets)
        {
            await using var target = create();
            try
            {
                await target.StartAsync(cancellationToken);
                using var placement = options.SharedCpus ? null : OwnCpu.Give(target.ProcessId, graphPid, moveSelf: !options.Quick, aheadOfGraph: true);
                ownCpu = placement is not null;
                results.AddRange(await RampAsync(target, levels, cancellationToken));
            }
            catch (Exception exception) when (target is not GraphVoiceTarget && !cancellationToken.IsCancellationRequested)
            {
                // A baseline that cannot run (no npm registry) leaves the other targets' numbers standing.
                notes.Add($"{target.Name} could not run: {exception.Message}");
                Console.Error.WriteLine(notes[^1]);
            }
        }
        return new GatewayReport(started, MachineInfo.Current(), options.Quick, results, notes, ownCpu);
    }

    private async Task<List<LevelMeasurement>> RampAsync(IGatewayTarget target, int[] levels, CancellationToken cancellationToken)
    {
        var sampler = new ProcessSampler(target.ProcessId);
        // Warm up (JIT, pools, the first database connections), then take the idle footprint calls are measured against.
        using (var warmUp = new LoadGenerator(target))
        {
            await warmUp.RunAsync(new LevelRun(options.Quick ? 2 : 5), new LevelPlan(TimeSpan.FromSeconds(options.Quick ? 0.5 : 1), TimeSpan.FromSeconds(options.Quick ? 1 : 2)), cancellationToken);
        }
        await Task.Delay(ExportWait, cancellationToken);
        await target.TakeFrameLagAsync(cancellationToken);
        await target.CountFinalizedOnceAsync([], cancellationToken);
        var idle = sampler.Sample();

        var measured = new List<LevelMeasurement>();
        foreach (var calls in levels)
        {
            var level = await MeasureLevelAsync(target, sampler, idle, calls, cancellationToken);
            measured.Add(level);
            Console.WriteLine(GatewayReport.Row(level));
            EmptyRecordings(target);
            if (!level.Passed && calls >= ComparedUpTo)
            {
                break;
            }
        }
        return measured;
    }

    private async Task<LevelMeasurement> MeasureLevelAsync(IGatewayTarget target, ProcessSampler sampler, ProcessSample idle, int calls, CancellationToken cancellationToken)
    {
        var plan = options.Quick
            ? new LevelPlan(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4))
            : new LevelPlan(TimeSpan.FromSeconds(Math.Max(5, calls / 100.0)), TimeSpan.FromSeconds(20));
        var load = MachineInfo.LoadAverage();
        var run = new LevelRun(calls);
        // The generator's own CPU: on a small machine it can be the bottleneck, and late frames count in the server's lag.
        var generatorSampler = new ProcessSampler(Environment.ProcessId);
        using var generator = new LoadGenerator(target);
        var running = generator.RunAsync(run, plan, cancellationToken);

        // CPU and memory over the hold, when every call is live (a margin after the ramp for the last ones to start).
        var epoch = Stopwatch.GetTimestamp();
        await LoadGenerator.DelayUntilAsync(epoch + LoadGenerator.Ticks(plan.Ramp + TimeSpan.FromSeconds(2)), cancellationToken);
        // Frame lag by phase, as far as the exports (every second) tell them apart: the ramp's, then the hold's, then the end's.
        var rampLag = await target.TakeFrameLagAsync(cancellationToken);
        var holdStart = sampler.Sample();
        var generatorAtHoldStart = generatorSampler.Sample();
        var threadsAtHoldStart = ThreadCensus.Sample(target.ProcessId);
        var streamingAtHoldStart = run.Streaming;
        var framesAtHoldStart = run.FramesSent;
        var peakRss = holdStart.RssBytes;
        var holdEnd = holdStart;
        var generatorAtHoldEnd = generatorAtHoldStart;
        var framesAtHoldEnd = framesAtHoldStart;
        while (Stopwatch.GetElapsedTime(epoch) < plan.CallDuration - TimeSpan.FromSeconds(0.5))
        {
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            holdEnd = sampler.Sample();
            generatorAtHoldEnd = generatorSampler.Sample();
            framesAtHoldEnd = run.FramesSent;
            peakRss = Math.Max(peakRss, holdEnd.RssBytes);
        }
        var threads = ThreadCensus.Between(threadsAtHoldStart, ThreadCensus.Sample(target.ProcessId), Stopwatch.GetElapsedTime(holdStart.Timestamp));
        var holdLag = await target.TakeFrameLagAsync(cancellationToken);
        await running;
        await Task.Delay(ExportWait, cancellationToken);
        var endLag = await target.TakeFrameLagAsync(cancellationToken);
        var lag = LagHistogram.Sum([rampLag, holdLag, endLag]);
        var finalized = await target.CountFinalizedOnceAsync(run.CallSids, cancellationToken);

        var cpu = ProcessSample.CpuPercent(holdStart, holdEnd);
        var failure = FailureReason(run, lag, finalized, streamingAtHoldStart);
        return new LevelMeasurement(
            target.Name, calls, run.FramesSent, lag.Count, (framesAtHoldEnd - framesAtHoldStart) / Stopwatch.GetElapsedTime(holdStart.Timestamp, holdEnd.Timestamp).TotalSeconds,
            lag.Percentile(0.5), lag.Percentile(0.99), lag.Max, rampLag.Percentile(0.99), holdLag.Percentile(0.99), endLag.Percentile(0.99),
            run.PingRoundTrips.Percentile(0.5), run.PingRoundTrips.Percentile(0.99),
            cpu, (holdEnd.Cpu - holdStart.Cpu).TotalMicroseconds / Math.Max(1, framesAtHoldEnd - framesAtHoldStart),
            peakRss / 1048576.0, (peakRss - idle.RssBytes) / 1024.0 / calls,
            finalized, run.Errors, run.ErrorKinds, run.GeneratorLateness.Percentile(0.99), load,
            failure is null, failure, run.CallSetup.Percentile(0.99), threads,
            ProcessSample.CpuPercent(generatorAtHoldStart, generatorAtHoldEnd), ProcessSample.KernelCpuPercent(generatorAtHoldStart, generatorAtHoldEnd));
    }

    /// <summary>
    /// Why a level fails, or null: an error, a frame the server did not measure, a call not finalized exactly once, a call
    /// not yet streaming as the hold began (the level then carried fewer calls than it says), or frame lag p99 at the target.
    /// </summary>
    public static string? FailureReason(LevelRun run, LagHistogram lag, int finalized, int streamingAtHoldStart) =>
        run.Errors > 0 ? $"errors ({run.ErrorKinds})"
        : lag.Count < run.FramesSent ? $"{run.FramesSent - lag.Count} frames lost"
        : finalized != run.Calls ? $"{run.Calls - finalized} calls not finalized exactly once"
        : streamingAtHoldStart < run.Calls ? $"{run.Calls - streamingAtHoldStart} calls not yet streaming as the hold began (setup p99 {run.CallSetup.Percentile(0.99):0} ms)"
        : lag.Percentile(0.99) >= GatewayReport.LagTargetMs ? $"frame lag p99 {lag.Percentile(0.99):0.#} ms"
        : null;

    private static void EmptyRecordings(IGatewayTarget target)
    {
        if (Directory.Exists(target.RecordingsDirectory))
        {
            foreach (var file in Directory.EnumerateFiles(target.RecordingsDirectory))
            {
                File.Delete(file);
            }
        }
    }
}
