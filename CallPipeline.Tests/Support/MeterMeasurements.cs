using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace CallPipeline.Tests.Support;

/// <summary>
/// Every measurement of the meters one host created, read the way the OpenTelemetry exporter reads them. Other tests
/// run hosts in the same process, so only meters of this host's <see cref="IMeterFactory"/> are listened to.
/// </summary>
internal sealed class MeterMeasurements : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<Measurement> _recorded = new();

    public MeterMeasurements(IMeterFactory meterFactory)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, meterFactory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    public List<Measurement> Of(string instrument) => _recorded.Where(m => m.Instrument == instrument).ToList();

    /// <summary>Reads every observable instrument once, as an export does.</summary>
    public void Collect() => _listener.RecordObservableInstruments();

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var tagValues = new Dictionary<string, string?>();
        foreach (var tag in tags)
        {
            tagValues[tag.Key] = tag.Value?.ToString();
        }
        _recorded.Enqueue(new Measurement(instrument.Name, value, tagValues));
    }

    internal sealed record Measurement(string Instrument, double Value, IReadOnlyDictionary<string, string?> Tags);
}
