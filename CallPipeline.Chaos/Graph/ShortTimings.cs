using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using CallPipeline.Webhooks.Dispatch;

namespace CallPipeline.Chaos.Graph;

/// <summary>
/// The existing settings the chaos run shortens, given to the graph's resources as environment variables. With the
/// production values a killed worker's jobs wait five minutes for another consumer and a failed webhook five minutes
/// for its third attempt, so a run would take hours; the mechanisms are the same, they only act sooner.
/// </summary>
public static class ShortTimings
{
    private static readonly TimeSpan[] RetrySchedule =
    [
        TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8),
        TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1),
    ];

    public static IReadOnlyList<ShortTiming> All { get; } =
    [
        Worker("Worker:ClaimIdleTime", TimeSpan.FromSeconds(20), TimeSpan.FromMinutes(5), "a killed worker's jobs, and their leases in Postgres, are taken over after this"),
        Worker("Worker:ClaimCheckInterval", TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(15), "how often jobs idle that long are looked for"),
        Worker("Worker:ReconcileInterval", TimeSpan.FromSeconds(15), TimeSpan.FromMinutes(1), "how often Postgres is checked for calls Redis should have delivered by now"),
        Worker("Worker:ReconcileGracePeriod", TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(3), "how long Redis gets before such a call is queued again from Postgres"),
        Worker("Worker:StalledCallGracePeriod", TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(15), "an ended call whose recording callback never came is processed with the audio it has after this"),
        Worker("Webhooks:Dispatcher:Timeout", TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15), "an attempt without an answer by then has failed (the receiver's hangs last 8 s)"),
        Worker("Webhooks:Dispatcher:ClaimLease", TimeSpan.FromSeconds(15), TimeSpan.FromMinutes(1), "a delivery claimed by a killed worker is sent again after this"),
        new("worker", "Webhooks:Dispatcher:RetrySchedule",
            RetrySchedule.Select((delay, i) => KeyValuePair.Create($"Webhooks__Dispatcher__RetrySchedule__{i}", delay.ToString("c"))).ToDictionary(),
            string.Join(", ", RetrySchedule.Select(Describe)),
            string.Join(", ", WebhookDispatcherOptions.SvixRetrySchedule.Select(Describe)),
            "the delays between a webhook's attempts (jittered by ±20 %)"),
    ];

    public static void ApplyTo(IDistributedApplicationBuilder builder)
    {
        foreach (var timing in All)
        {
            var resource = builder.CreateResourceBuilder<ProjectResource>(timing.Resource);
            foreach (var (name, value) in timing.Environment)
            {
                resource.WithEnvironment(name, value);
            }
        }
    }

    private static ShortTiming Worker(string setting, TimeSpan value, TimeSpan productionDefault, string why) =>
        new("worker", setting, new Dictionary<string, string> { [setting.Replace(":", "__", StringComparison.Ordinal)] = value.ToString("c") },
            Describe(value), Describe(productionDefault), why);

    public static string Describe(TimeSpan time) =>
        time.TotalHours >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{time.TotalHours:0.#} h")
        : time.TotalMinutes >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{time.TotalMinutes:0.#} min")
        : string.Create(CultureInfo.InvariantCulture, $"{time.TotalSeconds:0.#} s");
}

/// <summary>One setting of one resource, the environment that sets it, its value in the run and in production, and why it matters.</summary>
public sealed record ShortTiming(string Resource, string Setting, IReadOnlyDictionary<string, string> Environment, string Value, string ProductionDefault, string Why);
