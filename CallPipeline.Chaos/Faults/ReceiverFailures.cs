using System.Net.Http.Json;
using CallPipeline.Chaos.Graph;
using CallPipeline.Chaos.Verification;

namespace CallPipeline.Chaos.Faults;

/// <summary>
/// For a while the business's endpoint (the webhook receiver) answers a share of deliveries with 500 and holds the
/// answer to another share past the dispatcher's timeout, after storing it, as a slow business would. The window
/// stays open past its length (up to a minute more) until at least one attempt got each, so the fault always hits.
/// </summary>
public sealed class ReceiverFailures(TimeSpan window, PipelineLedger ledger) : IChaosFault
{
    public const double ServerErrorRate = 0.3;
    public const double HangRate = 0.15;
    public static readonly TimeSpan HangFor = TimeSpan.FromSeconds(8);
    private static readonly TimeSpan MaxExtension = TimeSpan.FromMinutes(1);

    public const string Name = "receiver failing (500 and timeouts)";

    public string Kind => Name;

    public async Task<FaultOutcome> InjectAsync(ChaosGraph graph, CancellationToken cancellationToken)
    {
        using var receiver = graph.Client("webhook-receiver");
        using (var set = await receiver.PutAsJsonAsync("/faults", new { failureRate = ServerErrorRate, statusCode = 500, hangRate = HangRate, hangFor = HangFor.ToString("c") }, cancellationToken))
        {
            set.EnsureSuccessStatusCode();
        }
        var started = DateTimeOffset.UtcNow;
        try
        {
            await Task.Delay(window, cancellationToken);
            while (DateTimeOffset.UtcNow < started + window + MaxExtension
                && await ledger.FailedAttemptsBetweenAsync(started, DateTimeOffset.UtcNow, cancellationToken) is (0, _) or (_, 0))
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
        finally
        {
            using var reset = await receiver.DeleteAsync("/faults", CancellationToken.None);
            reset.EnsureSuccessStatusCode();
        }
        return new FaultOutcome(FormattableString.Invariant(
            $"for {(DateTimeOffset.UtcNow - started).TotalSeconds:0} s, {ServerErrorRate:P0} of deliveries answered 500 and {HangRate:P0} stored but answered after {HangFor.TotalSeconds:0} s"));
    }
}
