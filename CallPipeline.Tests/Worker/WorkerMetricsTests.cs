using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using CallPipeline.Data.Entities;
using CallPipeline.Tests.Infrastructure;
using CallPipeline.Tests.Webhooks.Support;
using CallPipeline.Tests.Worker.Support;
using Microsoft.Extensions.DependencyInjection;

namespace CallPipeline.Tests.Worker;

/// <summary>The worker's metrics, read from its own meter factory the way the OpenTelemetry exporter reads them.</summary>
[Collection(InfrastructureCollection.Name)]
[Trait("Category", "Infrastructure")]
public sealed class WorkerMetricsTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public async Task A_processed_job_counts_as_processed_and_times_every_step()
    {
        await using var env = await WorkerTestEnvironment.CreateAsync(infrastructure);
        var business = await env.AddBusinessAsync();
        var call = await env.AddRecordedCallAsync(business.Id);
        await using var worker = WorkerHost.Start(env, "worker-a");
        using var measurements = new Measurements(worker.Services.GetRequiredService<IMeterFactory>());

        await env.EnqueueAsync(call);
        await env.WaitForStatusAsync(call.CallSid, PipelineStatus.Processed);

        var jobs = await Eventually.ReturnsAsync(
            () => Task.FromResult(measurements.Of("callpipeline.worker.jobs")), m => m.Count > 0, "the job is counted");
        Assert.Equal(("outcome", "processed"), Assert.Single(jobs).Tag);
        var steps = measurements.Of("callpipeline.worker.step.duration").Select(m => m.Tag.Value).ToList();
        Assert.Equal(["convert", "extract", "fetch", "load", "summarise", "transcribe"], steps.Order());
    }

    private sealed class Measurements : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentQueue<(string Instrument, double Value, (string Key, string? Value) Tag)> _recorded = new();

        public Measurements(IMeterFactory meterFactory)
        {
            // Only this host's meters: other tests run workers in the same process.
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

        public List<(string Instrument, double Value, (string Key, string? Value) Tag)> Of(string instrument) =>
            _recorded.Where(m => m.Instrument == instrument).ToList();

        public void Dispose() => _listener.Dispose();

        private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
            _recorded.Enqueue((instrument.Name, value, (tags[0].Key, tags[0].Value?.ToString())));
    }
}
