using CallPipeline.Benchmarks.Graph;
using CallPipeline.Benchmarks.Measurement;
using CallPipeline.Benchmarks.Reports;

namespace CallPipeline.Benchmarks.Pipeline;

/// <summary>
/// From the recording-status callback to the business's webhook delivered, through the whole graph with the doubles:
/// one call ending at a time, then batches of calls ending together. The calls are made first (about ten seconds of
/// conversation each) and their callbacks held, so each release is the call's end as the pipeline sees it.
/// </summary>
public sealed class LatencyBenchmark(BenchmarkOptions options)
{
    public async Task<LatencyReport> RunAsync(BenchmarkGraph graph, CancellationToken cancellationToken)
    {
        var (singles, together, batches, callSeconds) = options.Quick ? (2, 3, 1, 5.0) : (10, 20, 3, 10.0);
        var started = DateTimeOffset.UtcNow;
        var load = MachineInfo.LoadAverage();
        var calls = await EndedCalls.MakeAsync(graph, 1 + singles + (together * batches), Conversation.Lasting(callSeconds), cancellationToken);
        var sids = calls.CallSids;

        // The first call warms the path (connections, JIT) and is not counted.
        await calls.ReleaseAsync([sids[0]], cancellationToken);
        var one = new List<double>();
        foreach (var sid in sids.Skip(1).Take(singles))
        {
            one.AddRange((await calls.ReleaseAsync([sid], cancellationToken)).LatenciesMs);
        }
        var many = new List<double>();
        for (var batch = 0; batch < batches; batch++)
        {
            many.AddRange((await calls.ReleaseAsync([.. sids.Skip(1 + singles + (batch * together)).Take(together)], cancellationToken)).LatenciesMs);
        }
        var singleCalls = await ProcessedCall.ReadAsync(graph, [.. sids.Skip(1).Take(singles)], cancellationToken);
        return new LatencyReport(started, MachineInfo.Current(), options.Quick, load, callSeconds,
        [
            LatencyRow.Of(1, singles, one),
            LatencyRow.Of(together, batches, many),
        ], ProcessedCall.Steps(singleCalls));
    }
}
