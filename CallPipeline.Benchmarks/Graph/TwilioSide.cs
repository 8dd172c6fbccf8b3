using System.Collections.Concurrent;
using CallPipeline.Benchmarks.Measurement;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CallPipeline.Benchmarks.Graph;

/// <summary>
/// What the graph calls outside itself while the benchmark plays Twilio and the business: Twilio's REST API (the
/// gateway's recording starts, see <see cref="HeldRecordingCallbacks"/>), an OTLP/HTTP collector, where the gateway's
/// own frame-lag histogram arrives each second, and the benchmark business's webhook URL (<see cref="BusinessEndpoint"/>).
/// </summary>
public sealed class TwilioSide : IAsyncDisposable
{
    public const string FrameLagMetric = "callpipeline.voice.media.frame_lag";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<HistogramPoint> _frameLag = new();

    private TwilioSide(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
        Recordings = new HeldRecordingCallbacks(baseUrl);
    }

    public Uri BaseUrl { get; }

    public HeldRecordingCallbacks Recordings { get; }

    public BusinessEndpoint Business { get; } = new();

    public static async Task<TwilioSide> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var port = LocalPort.Free();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var side = new TwilioSide(app, new Uri($"http://127.0.0.1:{port}"));
        app.MapPost("/v1/metrics", side.AcceptMetricsAsync);
        app.MapPost("/v1/{signal}", () => Results.Bytes([], "application/x-protobuf"));
        app.MapPost("/2010-04-01/Accounts/{account}/Calls/{call}/Recordings.json", (HttpRequest request, string account, string call) => side.Recordings.StartRecordingAsync(request, account, call));
        app.MapPost(HeldRecordingCallbacks.CallbackPath, (HttpRequest request) => side.Recordings.ReceiveAsync(request));
        app.MapPost(BusinessEndpoint.Path, (HttpRequest request) => side.Business.ReceiveAsync(request));
        await app.StartAsync(cancellationToken);
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

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        Recordings.Dispose();
    }

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
}
