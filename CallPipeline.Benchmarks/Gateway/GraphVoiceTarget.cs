using System.Text.RegularExpressions;
using CallPipeline.Benchmarks.Graph;
using CallPipeline.Benchmarks.Measurement;

namespace CallPipeline.Benchmarks.Gateway;

/// <summary>
/// The voice gateway as the AppHost runs it (<see cref="BenchmarkGraph"/>): the graph's database, Redis, worker and
/// doubles behind it, its telemetry and Twilio REST calls going to <see cref="TwilioSide"/>. Measured is the gateway's
/// own process, not the <c>dotnet run</c> host Aspire starts it under.
/// </summary>
public sealed partial class GraphVoiceTarget(BenchmarkGraph graph) : IGatewayTarget
{
    private int? _processId;

    public string Name => "gateway";

    public Uri BaseUrl => graph.VoiceUrl;

    public TwilioAccount Account => graph.TwilioAccount;

    public string CalledNumber => BenchmarkGraph.DemoBusinessNumber;

    public int ProcessId => _processId ?? throw new InvalidOperationException("The gateway target has not started.");

    public string RecordingsDirectory => graph.RecordingsDirectory;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // The benchmark answers the gateway's recording starts itself during the load: the double records nothing.
        graph.Side.Recordings.TwilioDouble = null;
        _processId = await graph.ServiceProcessIdAsync(BenchmarkGraph.Voice, cancellationToken);
    }

    public Task<LagHistogram> TakeFrameLagAsync(CancellationToken cancellationToken) =>
        Task.FromResult(graph.Side.TakeFrameLag(LoadGenerator.LagBuckets));

    /// <summary>Counted from the gateway's own log: exactly one "Call … finalized" line per call.</summary>
    public Task<int> CountFinalizedOnceAsync(IReadOnlyCollection<string> callSids, CancellationToken cancellationToken)
    {
        var lines = graph.Logs.Of(BenchmarkGraph.Voice)
            .Select(l => FinalizedLine().Match(l))
            .Where(m => m.Success)
            .GroupBy(m => m.Groups["callSid"].Value)
            .ToDictionary(g => g.Key, g => g.Count());
        return Task.FromResult(callSids.Count(sid => lines.GetValueOrDefault(sid) == 1));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [GeneratedRegex("Call (?<callSid>CA[0-9a-f]{32}) finalized:")]
    private static partial Regex FinalizedLine();
}
