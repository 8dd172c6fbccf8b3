using System.Text.RegularExpressions;
using CallPipeline.Benchmarks.Measurement;

namespace CallPipeline.Benchmarks.Gateway;

/// <summary>
/// The voice gateway as its own process, from a build folder (this repository's, or another revision's for a
/// before/after run), on its own database of the shared Postgres and Redis, with Twilio's REST API and the OTLP
/// collector played by <see cref="TwilioSide"/>.
/// </summary>
public sealed partial class VoiceGatewayTarget(string name, string buildDirectory, PipelineServers servers, TwilioSide twilio, string workDirectory,
    IReadOnlyDictionary<string, string> extraEnvironment) : IGatewayTarget
{
    private ServerProcess? _process;

    public string Name => name;

    public Uri BaseUrl { get; private set; } = null!;

    public string RecordingsDirectory => Path.Combine(workDirectory, "recordings");

    public int ProcessId => _process?.Id ?? throw new InvalidOperationException($"{name} has not started.");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var gateway = Path.Combine(buildDirectory, "CallPipeline.Voice.dll");
        if (!File.Exists(gateway))
        {
            throw new FileNotFoundException($"No gateway build at {buildDirectory}; build CallPipeline.Voice there first.", gateway);
        }
        var database = await servers.CreateDatabaseAsync("bench_" + SafeName().Replace(name, "_"), cancellationToken);
        var port = LocalPort.Free();
        BaseUrl = new Uri($"http://127.0.0.1:{port}");
        Directory.CreateDirectory(workDirectory);
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = BaseUrl.ToString().TrimEnd('/'),
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__callsdb"] = database,
            ["ConnectionStrings__cache"] = servers.RedisConnectionString,
            ["Twilio__AccountSid"] = LoadGenerator.AccountSid,
            ["Twilio__AuthToken"] = LoadGenerator.AuthToken,
            ["Twilio__ApiBaseUrl"] = twilio.BaseUrl.ToString().TrimEnd('/'),
            ["Voice__PublicBaseUrl"] = BaseUrl.ToString().TrimEnd('/'),
            ["Voice__RecordingsPath"] = RecordingsDirectory,
            // The benchmark finds the limit; the setting would turn calls away before it.
            ["Voice__MaxConcurrentCalls"] = "1000000",
            ["Worker__Stream"] = "recording-jobs-" + name,
            ["OperatorApi__ApiKey"] = "benchmark-operator-key-0123456789abcdef",
            // Telemetry as in production, to the benchmark's collector: the frame-lag histogram comes back this way.
            ["OTEL_SERVICE_NAME"] = "voice",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = twilio.BaseUrl.ToString().TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "1000",
            ["OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE"] = "delta",
        };
        foreach (var (key, value) in extraEnvironment)
        {
            environment[key] = value;
        }
        _process = ServerProcess.Start("dotnet", [gateway], buildDirectory, environment, Path.Combine(workDirectory, "gateway.log"));
        await _process.WaitUntilReadyAsync(new Uri(BaseUrl, "/health"), TimeSpan.FromSeconds(90), cancellationToken);
    }

    public Task<LagHistogram> TakeFrameLagAsync(CancellationToken cancellationToken) =>
        Task.FromResult(twilio.TakeFrameLag(LoadGenerator.LagBuckets));

    /// <summary>Counted from the gateway's own log: exactly one "Call … finalized" line per call.</summary>
    public Task<int> CountFinalizedOnceAsync(IReadOnlyCollection<string> callSids, CancellationToken cancellationToken)
    {
        var lines = File.ReadLines(_process!.OutputFile)
            .Select(l => FinalizedLine().Match(l))
            .Where(m => m.Success)
            .GroupBy(m => m.Groups["callSid"].Value)
            .ToDictionary(g => g.Key, g => g.Count());
        return Task.FromResult(callSids.Count(sid => lines.GetValueOrDefault(sid) == 1));
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }

    [GeneratedRegex("Call (?<callSid>CA[0-9a-f]{32}) finalized:")]
    private static partial Regex FinalizedLine();

    [GeneratedRegex("[^a-z0-9]")]
    private static partial Regex SafeName();
}
