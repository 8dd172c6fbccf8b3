using System.Net.Http.Json;
using System.Text.Json;
using CallPipeline.Benchmarks.Graph;
using CallPipeline.Benchmarks.Measurement;

namespace CallPipeline.Benchmarks.Gateway;

/// <summary>
/// A baseline server the benchmark starts in a process of its own, outside the graph: it answers the incoming-call
/// webhook with a <c>&lt;Connect&gt;&lt;Stream&gt;</c>, writes each call's audio to a file, and reports what it read at
/// <c>GET /stats</c> (<see cref="BaselineStatsSnapshot"/>). It has no database: a call counts as finalized when its stop
/// closed its file.
/// </summary>
public abstract class BaselineServerTarget(string workDirectory) : IGatewayTarget
{
    /// <summary>Generous: a saturated baseline answers its stats behind every frame it has not read yet.</summary>
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private ServerProcess? _process;
    private int _finalized;

    public abstract string Name { get; }

    /// <summary>A baseline checks no signature; the calls are signed all the same.</summary>
    public TwilioAccount Account { get; } = new("AC" + new string('0', 32), "baseline-checks-no-signature");

    public string CalledNumber => BenchmarkGraph.DemoBusinessNumber;

    public Uri BaseUrl { get; private set; } = null!;

    public int ProcessId => _process?.Id ?? throw new InvalidOperationException($"{Name} has not started.");

    public string RecordingsDirectory => Path.Combine(workDirectory, "recordings");

    protected string WorkDirectory => workDirectory;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(workDirectory);
        var port = LocalPort.Free();
        BaseUrl = new Uri($"http://127.0.0.1:{port}");
        var environment = new Dictionary<string, string>
        {
            ["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RECORDINGS_PATH"] = RecordingsDirectory,
            ["LAG_BUCKETS"] = JsonSerializer.Serialize(LoadGenerator.LagBuckets),
        };
        _process = await StartServerAsync(environment, Path.Combine(workDirectory, Name + ".log"), cancellationToken);
        await _process.WaitUntilReadyAsync(new Uri(BaseUrl, "/stats"), TimeSpan.FromSeconds(30), cancellationToken);
        await TakeStatsAsync(cancellationToken);
    }

    public async Task<LagHistogram> TakeFrameLagAsync(CancellationToken cancellationToken)
    {
        var stats = await TakeStatsAsync(cancellationToken);
        var histogram = new LagHistogram(LoadGenerator.LagBuckets);
        histogram.Add(stats.LagCounts, stats.LagMax);
        _finalized += stats.Finalized;
        return histogram;
    }

    public async Task<int> CountFinalizedOnceAsync(IReadOnlyCollection<string> callSids, CancellationToken cancellationToken)
    {
        var stats = await TakeStatsAsync(cancellationToken);
        var finalized = _finalized + stats.Finalized;
        _finalized = 0;
        return Math.Min(finalized, callSids.Count);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
        GC.SuppressFinalize(this);
    }

    /// <summary>Starts the server with <paramref name="environment"/> (its port, recordings folder and lag buckets), its output to <paramref name="outputFile"/>.</summary>
    protected abstract Task<ServerProcess> StartServerAsync(IReadOnlyDictionary<string, string> environment, string outputFile, CancellationToken cancellationToken);

    private async Task<BaselineStatsSnapshot> TakeStatsAsync(CancellationToken cancellationToken) =>
        await _http.GetFromJsonAsync<BaselineStatsSnapshot>(new Uri(BaseUrl, "/stats?reset=1"), new JsonSerializerOptions(JsonSerializerDefaults.Web), cancellationToken)
        ?? throw new InvalidOperationException($"{Name} sent no stats.");
}
