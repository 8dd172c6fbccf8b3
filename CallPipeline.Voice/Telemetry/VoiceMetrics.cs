using System.Diagnostics.Metrics;
using CallPipeline.Data;
using CallPipeline.Data.Entities;

namespace CallPipeline.Voice.Telemetry;

/// <summary>
/// What an operator watches on the gateway: calls answered, rejected and turned away busy, the media streams open
/// right now, and how far behind the call's clock the caller's audio is read. The meter is named after the application, which the service defaults export over OTLP.
/// </summary>
public sealed class VoiceMetrics
{
    public const string MeterName = "CallPipeline.Voice";

    private readonly Counter<long> _calls;
    private readonly UpDownCounter<long> _activeStreams;
    private readonly Histogram<double> _frameLag;

    public VoiceMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _calls = meter.CreateCounter<long>("callpipeline.voice.calls", unit: "{call}",
            description: "Calls Twilio asked us about, by outcome (answered, rejected) and direction.");
        _activeStreams = meter.CreateUpDownCounter<long>("callpipeline.voice.media_streams.active", unit: "{stream}",
            description: "Media Streams WebSockets open now.");
        _frameLag = meter.CreateHistogram("callpipeline.voice.media.frame_lag", unit: "ms",
            description: "How late each caller audio frame is read: its arrival against the stream's start plus the frame's own timestamp.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = FrameLagBuckets });
    }

    /// <summary>Fine where a live call must stay (a frame is 20 ms), coarse out to the multi-second stalls worth alarming on.</summary>
    public static IReadOnlyList<double> FrameLagBuckets { get; } =
        [0.25, 0.5, 1, 2, 3, 5, 7.5, 10, 15, 20, 30, 50, 75, 100, 150, 200, 300, 500, 750, 1000, 1500, 2000, 3000, 5000, 10000];

    public void CallAnswered(CallDirection direction) => _calls.Add(1, Outcome("answered"), Direction(direction));

    public void CallRejected(CallDirection direction) => _calls.Add(1, Outcome("rejected"), Direction(direction));

    /// <summary>Answered with the busy message because this instance already carries its most concurrent calls.</summary>
    public void CallBusy(CallDirection direction) => _calls.Add(1, Outcome("busy"), Direction(direction));

    public void StreamOpened() => _activeStreams.Add(1);

    public void StreamClosed() => _activeStreams.Add(-1);

    public void FrameLag(double milliseconds) => _frameLag.Record(milliseconds);

    private static KeyValuePair<string, object?> Outcome(string outcome) => new("outcome", outcome);

    private static KeyValuePair<string, object?> Direction(CallDirection direction) => new("direction", SnakeCaseEnumConverter<CallDirection>.ToSnakeCase(direction.ToString()));
}
