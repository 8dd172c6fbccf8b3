using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using CallPipeline.Benchmarks.Graph;
using CallPipeline.Benchmarks.Measurement;

namespace CallPipeline.Benchmarks.Gateway;

/// <summary>
/// The baseline: the minimal Node.js server of <c>baseline/server.js</c> (npm <c>ws</c>, JSON.parse, base64, append to
/// a file per call). Its packages are installed with <c>npm ci</c> from the committed lock file into the work folder.
/// </summary>
public sealed class NodeBaselineTarget(string workDirectory) : IGatewayTarget
{
    /// <summary>Generous: a saturated baseline answers its stats behind every frame it has not read yet.</summary>
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private ServerProcess? _process;
    private int _finalized;

    public string Name => "node-ws";

    /// <summary>The baseline checks no signature; the calls are signed all the same.</summary>
    public TwilioAccount Account { get; } = new("AC" + new string('0', 32), "node-baseline-checks-no-signature");

    public string CalledNumber => BenchmarkGraph.DemoBusinessNumber;

    public Uri BaseUrl { get; private set; } = null!;

    public int ProcessId => _process?.Id ?? throw new InvalidOperationException("The baseline has not started.");

    public string RecordingsDirectory => Path.Combine(workDirectory, "recordings");

    /// <summary>Null when node and npm are on the PATH; otherwise why the baseline cannot run.</summary>
    public static string? Unavailable() =>
        FindOnPath("node") is null || FindOnPath("npm") is null ? "node and npm are not installed (apt-get install nodejs npm)" : null;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var app = Path.Combine(workDirectory, "app");
        Directory.CreateDirectory(app);
        foreach (var file in new[] { "server.js", "package.json", "package-lock.json" })
        {
            File.Copy(Path.Combine(AppContext.BaseDirectory, "baseline", file), Path.Combine(app, file), overwrite: true);
        }
        await RunNpmCiAsync(app, cancellationToken);

        var port = LocalPort.Free();
        BaseUrl = new Uri($"http://127.0.0.1:{port}");
        var environment = new Dictionary<string, string>
        {
            ["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RECORDINGS_PATH"] = RecordingsDirectory,
            ["LAG_BUCKETS"] = JsonSerializer.Serialize(LoadGenerator.LagBuckets),
        };
        _process = ServerProcess.Start(FindOnPath("node")!, ["server.js"], app, environment, Path.Combine(workDirectory, "node.log"));
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

    /// <summary>The baseline has no database: a call counts as finalized when its stop closed its file.</summary>
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
    }

    private async Task<NodeStats> TakeStatsAsync(CancellationToken cancellationToken) =>
        await _http.GetFromJsonAsync<NodeStats>(new Uri(BaseUrl, "/stats?reset=1"), new JsonSerializerOptions(JsonSerializerDefaults.Web), cancellationToken)
        ?? throw new InvalidOperationException("The baseline sent no stats.");

    private static async Task RunNpmCiAsync(string app, CancellationToken cancellationToken)
    {
        var npm = new ProcessStartInfo(FindOnPath("npm")!, ["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        {
            WorkingDirectory = app, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var process = Process.Start(npm)!;
        var output = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"npm ci failed ({process.ExitCode}): {await output}");
        }
    }

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists);

    private sealed record NodeStats(long Frames, int Finalized, long[] LagCounts, double LagMax);
}
