using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace CallPipeline.Voice.QueueHealth;

/// <summary>
/// Whether webhooks are being sent, from <see cref="QueueMonitor"/>'s last measurement: Degraded when a delivery has
/// been due for longer than <see cref="VoiceOptions.MaxDeliveryAge"/> (a dispatcher claims due deliveries within a
/// second, so no dispatcher is running, or it cannot reach Postgres).
/// </summary>
public sealed class WebhookDeliveryAgeHealthCheck(QueueMonitor monitor, IOptions<VoiceOptions> voice, TimeProvider time) : IHealthCheck
{
    public const string Name = "webhook-delivery-age";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var limit = voice.Value.MaxDeliveryAge;
        var now = time.GetUtcNow();
        if (QueueSnapshots.Stale(monitor.Latest, voice.Value, now) is { } stale)
        {
            return Task.FromResult(stale);
        }
        var database = monitor.Latest!.Database;
        return Task.FromResult(database?.OldestDueSince is { } due && now - due > limit
            ? HealthCheckResult.Degraded(
                $"{database.DeliveriesOverdue} webhook delivery(ies) due for longer than {QueueSnapshots.Seconds(limit)}, the oldest for {QueueSnapshots.Seconds(now - due)}: no dispatcher is sending")
            : HealthCheckResult.Healthy($"{database?.DeliveriesDue ?? 0} webhook delivery(ies) due, none for longer than {QueueSnapshots.Seconds(limit)}"));
    }
}
