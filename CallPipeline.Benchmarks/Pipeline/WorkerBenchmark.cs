extern alias worker;

using System.Globalization;
using CallPipeline.Benchmarks.Graph;
using CallPipeline.Benchmarks.Measurement;
using CallPipeline.Benchmarks.Reports;
using worker::CallPipeline.Worker.Audio;
using worker::CallPipeline.Worker.Queue;

namespace CallPipeline.Benchmarks.Pipeline;

/// <summary>
/// Recordings a minute through the whole worker: calls of a minute's conversation are made through the graph, and
/// their recording callbacks released together, so all their jobs queue at once; timed from the first callback to the
/// last <c>call.completed</c> webhook. Then the same recordings through bare ffmpeg (<see cref="BareFfmpeg"/>) in the same
/// run, and the worker's own step timings of each call from the database. The batch and bare ffmpeg run on a CPU of
/// the worker's own (<see cref="OwnCpu"/>) unless <see cref="BenchmarkOptions.SharedCpus"/>.
/// </summary>
public sealed class WorkerBenchmark(BenchmarkOptions options)
{
    /// <summary>
    /// Short calls through the whole pipeline before the measured ones, uncounted. The runtime compiles a method again,
    /// optimized, after about 30 calls, so after a single warm-up job the worker and the doubles were still compiling
    /// their job paths during the measured batch (a perf profile put a third of the worker's CPU in the JIT then, and
    /// the compiling went on into the bare ffmpeg runs that followed). 40 jobs bring both to the steady state of a
    /// worker that has been running. The quick mode, whose numbers are never read, skips them.
    /// </summary>
    public const int WarmUpCalls = 40;

    public async Task<WorkerReport> RunAsync(BenchmarkGraph graph, CancellationToken cancellationToken)
    {
        var (count, seconds) = options.Quick ? (options.Recordings ?? 2, 5.0) : (options.Recordings ?? 50, 60.0);
        var concurrency = options.WorkerEnvironment.TryGetValue("Worker__Concurrency", out var set) ? int.Parse(set, CultureInfo.InvariantCulture) : new QueueOptions().Concurrency;
        var started = DateTimeOffset.UtcNow;
        var warmUpCalls = options.Quick ? 0 : WarmUpCalls;
        if (warmUpCalls > 0)
        {
            var warmUp = await EndedCalls.MakeAsync(graph, warmUpCalls, Conversation.Lasting(10), cancellationToken);
            await warmUp.ReleaseAsync(warmUp.CallSids, cancellationToken);
        }
        var calls = await EndedCalls.MakeAsync(graph, count, Conversation.Lasting(seconds), cancellationToken);

        var load = MachineInfo.LoadAverage();
        var workerPid = await graph.ServiceProcessIdAsync(BenchmarkGraph.Worker, cancellationToken);
        // A quick run leaves its own process (in the test suite, the test host) where it is.
        using var ownCpu = options.SharedCpus ? null : OwnCpu.Give(workerPid, workerPid, moveSelf: !options.Quick);
        var workerProcess = new ProcessSampler(workerPid);
        var doublesProcess = new ProcessSampler(await graph.ServiceProcessIdAsync(BenchmarkGraph.DevDoubles, cancellationToken));
        var (workerBefore, doublesBefore) = (workerProcess.Sample(), doublesProcess.Sample());
        var released = await calls.ReleaseAsync(calls.CallSids, cancellationToken);
        var (workerCpu, doublesCpu) = (ProcessSample.CpuPercent(workerBefore, workerProcess.Sample()), ProcessSample.CpuPercent(doublesBefore, doublesProcess.Sample()));
        Console.WriteLine($"worker: {count} recordings in {released.Elapsed.TotalSeconds:0.0} s");

        var records = await ProcessedCall.ReadAsync(graph, calls.CallSids, cancellationToken);

        var files = await BareFfmpeg.DownloadAsync(records.Select(r => r.RecordingUrl!), graph.TwilioAccount, Path.Combine(graph.WorkDirectory, "bare-ffmpeg"), cancellationToken);
        var conversion = await BareFfmpeg.MedianOfThreeAsync(files, concurrency, ownCpu?.Cpu,
            file => FfmpegRunner.ConversionArguments(file, Path.ChangeExtension(file, ".16k.wav"), downmixToMono: false), cancellationToken);
        var onePass = await BareFfmpeg.MedianOfThreeAsync(files, concurrency, ownCpu?.Cpu,
            file => FfmpegRunner.StereoSplitArguments(file, Path.ChangeExtension(file, ".ch1.wav"), Path.ChangeExtension(file, ".ch2.wav"), new AudioOptions()), cancellationToken);

        return new WorkerReport(started, MachineInfo.Current(), options.Quick, load, count, warmUpCalls,
            records.Average(r => r.AudioSeconds ?? 0), concurrency,
            count / released.Elapsed.TotalMinutes, released.Elapsed.TotalSeconds,
            count / conversion.TotalMinutes, conversion.TotalSeconds, count / onePass.TotalMinutes, onePass.TotalSeconds,
            workerCpu, doublesCpu, ProcessedCall.Steps(records),
            [.. options.WorkerEnvironment.Select(e => $"`{e.Key}={e.Value}`")], OwnCpu: ownCpu is not null);
    }
}
