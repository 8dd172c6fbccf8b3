using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CallPipeline.Worker.Queue;

/// <summary>What the consumer loop last saw of Redis, reported by the worker's /health.</summary>
public sealed class QueueHealth(TimeProvider time)
{
    private readonly Lock _gate = new();
    private DateTimeOffset? _lastPoll;
    private DateTimeOffset? _failingSince;
    private string? _failure;

    /// <summary>True when this call ends an outage.</summary>
    public bool ReportPolled()
    {
        lock (_gate)
        {
            _lastPoll = time.GetUtcNow();
            var recovered = _failingSince is not null;
            _failingSince = null;
            _failure = null;
            return recovered;
        }
    }

    /// <summary>True when this call starts an outage.</summary>
    public bool ReportFailure(string failure)
    {
        lock (_gate)
        {
            var started = _failingSince is null;
            _failingSince ??= time.GetUtcNow();
            _failure = failure;
            return started;
        }
    }

    public HealthCheckResult Check()
    {
        lock (_gate)
        {
            if (_failingSince is { } since)
            {
                return HealthCheckResult.Unhealthy($"the recording queue cannot reach Redis since {since:O}: {_failure}");
            }
            return _lastPoll is null
                ? HealthCheckResult.Degraded("the recording queue has not polled yet")
                : HealthCheckResult.Healthy($"the recording queue polled at {_lastPoll:O}");
        }
    }
}

public sealed class QueueHealthCheck(QueueHealth health) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(health.Check());
}
