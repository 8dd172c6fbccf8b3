using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CallPipeline.Voice.QueueHealth;

/// <summary>What the queue health checks share about a measurement.</summary>
internal static class QueueSnapshots
{
    /// <summary>
    /// A verdict when there is nothing current to judge by: Healthy before the first measurement (a gateway just
    /// started has nothing against it yet), Degraded once the measurements are three intervals late.
    /// </summary>
    public static HealthCheckResult? Stale(QueueSnapshot? snapshot, VoiceOptions options, DateTimeOffset now)
    {
        if (snapshot is null)
        {
            return HealthCheckResult.Healthy("the queues have not been measured yet");
        }
        var age = now - snapshot.TakenAt;
        return age > 3 * options.QueueMeasureInterval
            ? HealthCheckResult.Degraded($"the queues were last measured {Seconds(age)} ago (every {Seconds(options.QueueMeasureInterval)})")
            : null;
    }

    public static string Seconds(TimeSpan span) => $"{Math.Max(0, span.TotalSeconds):0} s";
}
