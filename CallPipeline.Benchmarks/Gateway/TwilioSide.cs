using System.Collections.Concurrent;
using System.Security.Cryptography;
using CallPipeline.Benchmarks.Measurement;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CallPipeline.Benchmarks.Gateway;

/// <summary>
/// What the gateway calls while the benchmark plays Twilio: Twilio's REST API (starting a call's recording, answered
/// in Twilio's JSON shape) and an OTLP/HTTP collector, where the gateway's own frame-lag histogram arrives each second.
/// </summary>
public sealed class TwilioSide : IAsyncDisposable
{
    public const string FrameLagMetric = "callpipeline.voice.media.frame_lag";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<HistogramPoint> _frameLag = new();
    private int _recordingsStarted;

    private TwilioSide(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;

    public int RecordingsStarted => _recordingsStarted;

    public static async Task<TwilioSide> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var side = new TwilioSide(app);
        app.MapPost("/v1/metrics", side.AcceptMetricsAsync);
        app.MapPost("/v1/{signal}", () => Results.Bytes([], "application/x-protobuf"));
        app.MapPost("/2010-04-01/Accounts/{account}/Calls/{call}/Recordings.json", side.StartRecording);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        side.BaseUrl = new Uri(address);
        return side;
    }

    /// <summary>Every frame-lag point exported since the last call, summed into one histogram.</summary>
    public LagHistogram TakeFrameLag(IReadOnlyList<double> bounds)
    {
        var histogram = new LagHistogram(bounds);
        while (_frameLag.TryDequeue(out var point))
        {
            if (point.BucketCounts.Count > 0)
            {
                histogram.Add(point.BucketCounts, point.Max);
            }
        }
        return histogram;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task<IResult> AcceptMetricsAsync(HttpRequest request)
    {
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body);
        foreach (var point in OtlpMetricsReader.ReadHistograms(body.ToArray()).Where(p => p.Metric == FrameLagMetric))
        {
            _frameLag.Enqueue(point);
        }
        return Results.Bytes([], "application/x-protobuf");
    }

    private IResult StartRecording(string account, string call)
    {
        Interlocked.Increment(ref _recordingsStarted);
        var sid = "RE" + RandomNumberGenerator.GetHexString(32, lowercase: true);
        return Results.Json(new Dictionary<string, object?>
        {
            ["sid"] = sid, ["account_sid"] = account, ["call_sid"] = call, ["status"] = "in-progress", ["channels"] = 2, ["source"] = "StartCallRecordingAPI",
            ["uri"] = $"/2010-04-01/Accounts/{account}/Calls/{call}/Recordings/{sid}.json",
        }, statusCode: StatusCodes.Status201Created);
    }
}
