using System.Diagnostics;
using CallPipeline.Benchmarks.Graph;

namespace CallPipeline.Benchmarks.Pipeline;

/// <summary>
/// Calls made through the whole graph up to their end, their final recording callbacks held at the benchmark: the
/// simulator places them, the voice gateway carries them, the Twilio double records them. Releasing a callback ends the
/// call for the pipeline; its <c>call.completed</c> webhook then arrives at <see cref="BusinessEndpoint"/>.
/// </summary>
public sealed class EndedCalls(BenchmarkGraph graph)
{
    private static readonly TimeSpan WebhookTimeout = TimeSpan.FromMinutes(15);

    /// <summary>Places the calls and waits until each one's recording is finished and its callback held.</summary>
    public static async Task<EndedCalls> MakeAsync(BenchmarkGraph graph, int count, IReadOnlyList<ConversationLine> conversation, CancellationToken cancellationToken)
    {
        await BenchmarkBusiness.EnsureAsync(graph, cancellationToken);
        graph.Side.Recordings.TwilioDouble = graph.DevDoublesUrl;
        using var simulator = new SimulatedCalls(graph);
        var ended = new EndedCalls(graph);
        var started = Stopwatch.GetTimestamp();
        ended.CallSids = await simulator.PlaceAsync(count, conversation, cancellationToken);
        // Speech synthesis runs before each call connects: generous for many calls on two busy cores.
        var callLength = conversation.Max(l => l.At) + 10;
        await graph.Side.Recordings.WaitForAsync(ended.CallSids, TimeSpan.FromSeconds(180 + (callLength * 4) + (count * 10)), cancellationToken);
        Console.WriteLine($"{count} calls made and ended in {Stopwatch.GetElapsedTime(started).TotalSeconds:0} s; their recording callbacks are held");
        return ended;
    }

    public IReadOnlyList<string> CallSids { get; private set; } = [];

    /// <summary>
    /// Releases the calls' recording callbacks together and waits for their webhooks; per call, the time from its
    /// callback being sent to its webhook arriving, and when the first callback went out and the last webhook arrived.
    /// </summary>
    public async Task<ReleasedCalls> ReleaseAsync(IReadOnlyList<string> callSids, CancellationToken cancellationToken)
    {
        var sent = await Task.WhenAll(callSids.Select(graph.Side.Recordings.ReleaseAsync));
        var arrived = await graph.Side.Business.WaitForAsync(callSids, WebhookTimeout, cancellationToken);
        var latencies = callSids.Select((sid, i) => Stopwatch.GetElapsedTime(sent[i], arrived[sid]).TotalMilliseconds).ToList();
        return new ReleasedCalls(latencies, Stopwatch.GetElapsedTime(sent.Min(), arrived.Values.Max()));
    }
}

/// <param name="LatenciesMs">Per call: recording callback sent to its webhook arrived.</param>
/// <param name="Elapsed">From the first callback sent to the last webhook arrived.</param>
public sealed record ReleasedCalls(IReadOnlyList<double> LatenciesMs, TimeSpan Elapsed);
