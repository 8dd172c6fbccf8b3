using CallPipeline.Benchmarks.Graph;
using CallPipeline.Benchmarks.Measurement;

namespace CallPipeline.Benchmarks.Gateway;

/// <summary>
/// A server under load: an HTTP base URL that takes Twilio's webhooks and Media Streams, and one process to measure.
/// The voice gateway in the AppHost's graph and the baselines (<see cref="BaselineServerTarget"/>) are targets.
/// </summary>
public interface IGatewayTarget : IAsyncDisposable
{
    /// <summary>The name in tables and charts.</summary>
    string Name { get; }

    /// <summary>What Twilio is configured with: webhooks are signed over it.</summary>
    Uri BaseUrl { get; }

    /// <summary>The Twilio account the server checks signatures with.</summary>
    TwilioAccount Account { get; }

    /// <summary>The number the calls are made to: a business the server answers for.</summary>
    string CalledNumber { get; }

    /// <summary>The process whose CPU and memory are measured.</summary>
    int ProcessId { get; }

    /// <summary>Where the server writes its recordings; emptied between levels.</summary>
    string RecordingsDirectory { get; }

    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>The lag of every frame the server read since the last call, by its own measure.</summary>
    Task<LagHistogram> TakeFrameLagAsync(CancellationToken cancellationToken);

    /// <summary>How many of <paramref name="callSids"/> the server finalized exactly once.</summary>
    Task<int> CountFinalizedOnceAsync(IReadOnlyCollection<string> callSids, CancellationToken cancellationToken);
}
