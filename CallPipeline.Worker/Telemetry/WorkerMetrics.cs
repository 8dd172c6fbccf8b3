using System.Diagnostics.Metrics;
using System.Text.Json;

namespace CallPipeline.Worker.Telemetry;

/// <summary>
/// What an operator graphs and alerts on: jobs by outcome and how long each pipeline step takes. The meter is named
/// after the application, which the service defaults export over OTLP.
/// </summary>
public sealed class WorkerMetrics
{
    public const string MeterName = "CallPipeline.Worker";

    private readonly Counter<long> _jobs;
    private readonly Histogram<double> _stepDuration;

    public WorkerMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _jobs = meter.CreateCounter<long>("callpipeline.worker.jobs", unit: "{job}",
            description: "Recording jobs finished, by outcome (processed, already_processed, poison, permanent, transient, busy).");
        _stepDuration = meter.CreateHistogram<double>("callpipeline.worker.step.duration", unit: "s",
            description: "Duration of each pipeline step of a job (load, fetch, convert, transcribe, summarise, extract).");
    }

    /// <param name="outcome">The job's outcome, tagged in snake_case (<c>AlreadyProcessed</c> is <c>already_processed</c>).</param>
    public void JobFinished(Enum outcome, IReadOnlyDictionary<string, long> stepMilliseconds)
    {
        _jobs.Add(1, new KeyValuePair<string, object?>("outcome", JsonNamingPolicy.SnakeCaseLower.ConvertName(outcome.ToString())));
        foreach (var (step, milliseconds) in stepMilliseconds)
        {
            _stepDuration.Record(milliseconds / 1000.0, new KeyValuePair<string, object?>("step", step));
        }
    }
}
