using System.Diagnostics;
using Aspire.Hosting.ApplicationModel;
using CallPipeline.Chaos.Graph;
using CallPipeline.Chaos.Verification;

namespace CallPipeline.Chaos.Faults;

/// <summary>Redis stopped and started again with the dashboard's commands, while the services keep working.</summary>
public sealed class RedisRestart(PipelineLedger ledger) : IChaosFault
{
    private const string Cache = "cache";

    public const string Name = "Redis restarted";

    public string Kind => Name;

    public async Task<FaultOutcome> InjectAsync(ChaosGraph graph, CancellationToken cancellationToken)
    {
        var before = await ledger.StreamLengthAsync();
        var started = Stopwatch.GetTimestamp();
        await graph.CommandAsync(Cache, KnownResourceCommands.StopCommand, cancellationToken);
        await graph.WaitEndedAsync(Cache, cancellationToken);
        await graph.StartAgainAsync(Cache, cancellationToken);
        var down = Stopwatch.GetElapsedTime(started);
        var after = await ledger.StreamLengthAsync();
        return new FaultOutcome(FormattableString.Invariant(
            $"stopped and started with Aspire's commands, healthy again after {down.TotalSeconds:0.0} s; the job stream held {before?.ToString() ?? "?"} entries before and {after?.ToString() ?? "?"} after"));
    }
}
