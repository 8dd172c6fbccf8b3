using System.Net.Http.Json;
using CallPipeline.Chaos.Graph;

namespace CallPipeline.Chaos.Faults;

/// <summary>
/// For a while the business's endpoint (the webhook receiver) answers a share of deliveries with 500 and holds the
/// answer to another share past the dispatcher's timeout, after storing it, as a slow business would.
/// </summary>
public sealed class ReceiverFailures(TimeSpan window) : IChaosFault
{
    public const double ServerErrorRate = 0.3;
    public const double HangRate = 0.15;
    public static readonly TimeSpan HangFor = TimeSpan.FromSeconds(8);

    public string Kind => "receiver failing (500 and timeouts)";

    public async Task<FaultOutcome> InjectAsync(ChaosGraph graph, CancellationToken cancellationToken)
    {
        using var receiver = graph.Client("webhook-receiver");
        using (var set = await receiver.PutAsJsonAsync("/faults", new { failureRate = ServerErrorRate, statusCode = 500, hangRate = HangRate, hangFor = HangFor.ToString("c") }, cancellationToken))
        {
            set.EnsureSuccessStatusCode();
        }
        try
        {
            await Task.Delay(window, cancellationToken);
        }
        finally
        {
            using var reset = await receiver.DeleteAsync("/faults", CancellationToken.None);
            reset.EnsureSuccessStatusCode();
        }
        return new FaultOutcome(FormattableString.Invariant(
            $"for {window.TotalSeconds:0} s, {ServerErrorRate:P0} of deliveries answered 500 and {HangRate:P0} stored but answered after {HangFor.TotalSeconds:0} s"));
    }
}
