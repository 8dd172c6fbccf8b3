using System.Diagnostics.Metrics;
using CallPipeline.Data;
using CallPipeline.Data.Entities;

namespace CallPipeline.Voice.Telemetry;

/// <summary>
/// What an operator watches on the gateway: calls answered and rejected, and the media streams open right now.
/// The meter is named after the application, which the service defaults export over OTLP.
/// </summary>
public sealed class VoiceMetrics
{
    public const string MeterName = "CallPipeline.Voice";

    private readonly Counter<long> _calls;
    private readonly UpDownCounter<long> _activeStreams;

    public VoiceMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _calls = meter.CreateCounter<long>("callpipeline.voice.calls", unit: "{call}",
            description: "Calls Twilio asked us about, by outcome (answered, rejected) and direction.");
        _activeStreams = meter.CreateUpDownCounter<long>("callpipeline.voice.media_streams.active", unit: "{stream}",
            description: "Media Streams WebSockets open now.");
    }

    public void CallAnswered(CallDirection direction) => _calls.Add(1, Outcome("answered"), Direction(direction));

    public void CallRejected(CallDirection direction) => _calls.Add(1, Outcome("rejected"), Direction(direction));

    public void StreamOpened() => _activeStreams.Add(1);

    public void StreamClosed() => _activeStreams.Add(-1);

    private static KeyValuePair<string, object?> Outcome(string outcome) => new("outcome", outcome);

    private static KeyValuePair<string, object?> Direction(CallDirection direction) => new("direction", SnakeCaseEnumConverter<CallDirection>.ToSnakeCase(direction.ToString()));
}
