using System.Diagnostics;
using Aspire.Hosting.ApplicationModel;
using CallPipeline.Benchmarks.Measurement;
using CallPipeline.Chaos.Calls;
using CallPipeline.Chaos.Faults;
using CallPipeline.Chaos.Graph;
using CallPipeline.Chaos.Verification;
using CallPipeline.Webhooks;

namespace CallPipeline.Chaos;

/// <summary>
/// Places the calls at a steady rate while faults are injected on a schedule (worker killed, receiver failing, Redis
/// restarted, Postgres frozen, in turn), then waits for the pipeline to finish and judges from Postgres, Redis and
/// the receiver: every call processed and delivered, nothing twice, nothing lost, nothing stuck.
/// </summary>
public sealed class ChaosRun
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LeftoverWait = TimeSpan.FromMinutes(1);

    private readonly ChaosGraph _graph;
    private readonly ChaosOptions _options;
    private readonly TextWriter _progress;
    private readonly PipelineLedger _ledger;
    private readonly CallPlacer _placer;
    private long _started = Stopwatch.GetTimestamp();

    private ChaosRun(ChaosGraph graph, ChaosOptions options, TextWriter progress, PipelineLedger ledger)
    {
        _graph = graph;
        _options = options;
        _progress = progress;
        _ledger = ledger;
        _placer = new CallPlacer(graph, options.Calls, options.CallsPerSecond, progress);
    }

    private TimeSpan Elapsed => Stopwatch.GetElapsedTime(_started);

    public static async Task<ChaosReport> RunAsync(ChaosGraph graph, ChaosOptions options, TextWriter progress, CancellationToken cancellationToken)
    {
        await using var ledger = await PipelineLedger.OpenAsync(
            await graph.ConnectionStringAsync("callsdb", cancellationToken),
            await graph.ConnectionStringAsync("cache", cancellationToken),
            () => graph.Client("webhook-receiver"));
        return await new ChaosRun(graph, options, progress, ledger).RunAsync(cancellationToken);
    }

    private async Task<ChaosReport> RunAsync(CancellationToken cancellationToken)
    {
        var warmUp = await _placer.PlaceWarmUpCallAsync(cancellationToken);
        if (await WaitUntilDoneAsync([warmUp], cancellationToken) is null)
        {
            throw new InvalidOperationException($"The warm-up call {warmUp} was not processed and delivered within {_options.Settle}: the graph does not work even without faults.");
        }
        Say($"warm-up call {warmUp} processed and delivered");
        _started = Stopwatch.GetTimestamp();
        var startedAt = DateTimeOffset.UtcNow;
        var load = MachineInfo.LoadAverage();
        Say($"placing {_options.Calls} calls at {_options.CallsPerSecond:0.##}/s, a fault every {_options.FaultEvery.TotalSeconds:0} s");

        var placing = _placer.RunAsync(cancellationToken);
        var records = await InjectFaultsAsync(cancellationToken);
        await placing;

        var placed = _placer.Placed;
        Say($"all {placed.Count} calls placed and every fault over; waiting for the pipeline to finish");
        await WaitUntilDoneAsync(placed, cancellationToken);
        return await JudgeAsync(startedAt, load, placed, records, cancellationToken);
    }

    /// <summary>From <see cref="ChaosOptions.FirstFault"/>, a fault every <see cref="ChaosOptions.FaultEvery"/> while calls are placed, each kind in turn, and at least one of each.</summary>
    private List<(TimeSpan At, IChaosFault Fault)> Plan()
    {
        IChaosFault[] kinds =
        [
            new WorkerKill(_ledger),
            new ReceiverFailures(_options.ReceiverWindow, _ledger),
            new RedisRestart(_ledger),
            new PostgresFreeze(_options.PostgresFreeze),
        ];
        var plan = new List<(TimeSpan, IChaosFault)>();
        for (var at = _options.FirstFault; plan.Count < kinds.Length || at < _options.PlacingTime; at += _options.FaultEvery)
        {
            plan.Add((at, kinds[plan.Count % kinds.Length]));
        }
        return plan;
    }

    /// <summary>
    /// Injects the planned faults one after the other: each at its time, or once the part the previous one took away is
    /// back, so no two faults overlap. Recovery from each is measured while the next ones run.
    /// </summary>
    private async Task<FaultRecord[]> InjectFaultsAsync(CancellationToken cancellationToken)
    {
        var recoveries = new List<Task<FaultRecord>>();
        foreach (var (number, (at, fault)) in Plan().Select((planned, i) => (i + 1, planned)))
        {
            if (at > Elapsed)
            {
                await Task.Delay(at - Elapsed, cancellationToken);
            }
            var unfinished = _placer.PlacedBefore(DateTimeOffset.UtcNow);
            var inFlight = unfinished.Count - await _ledger.CountDoneAsync(unfinished, cancellationToken);

            var began = Elapsed;
            var beganAt = DateTimeOffset.UtcNow;
            var outcome = await fault.InjectAsync(_graph, cancellationToken);
            var back = Elapsed;
            var backAt = DateTimeOffset.UtcNow;
            Say($"fault {number}, {fault.Kind}: {outcome.Detail}");
            var injected = new FaultRecord(number, fault.Kind, began, back - began, inFlight, null, outcome.Detail, outcome.StateFileWhileDown);
            recoveries.Add(MeasureRecoveryAsync(injected, fault, beganAt, backAt, cancellationToken));
        }
        return await Task.WhenAll(recoveries);
    }

    /// <summary>Recovered once every call placed until the part came back is done and every resource is healthy again.</summary>
    private async Task<FaultRecord> MeasureRecoveryAsync(FaultRecord injected, IChaosFault fault, DateTimeOffset beganAt, DateTimeOffset backAt, CancellationToken cancellationToken)
    {
        var back = injected.At + injected.Down;
        var done = await WaitUntilDoneAsync(_placer.PlacedBefore(backAt), cancellationToken);
        TimeSpan? recoveredAfter = done is not null && await AllHealthyWithinSettleAsync(cancellationToken) ? Elapsed - back : null;
        Say(recoveredAfter is { } after
            ? (FormattableString)$"fault {injected.Number} recovered {after.TotalSeconds:0.0} s after the part was back ({injected.CallsInFlight} calls were in flight)"
            : $"fault {injected.Number} did NOT recover within {_options.Settle.TotalSeconds:0} s");

        var detail = injected.Detail;
        if (fault is ReceiverFailures)
        {
            var (serverErrors, timeouts) = await _ledger.FailedAttemptsBetweenAsync(beganAt, backAt, cancellationToken);
            detail += $": {serverErrors} attempts answered 5xx, {timeouts} timed out";
        }
        return injected with { RecoveredAfter = recoveredAfter, Detail = detail };
    }

    /// <summary>The time (from the run's start) at which every call given was done, or null when the settle time ran out first.</summary>
    private async Task<TimeSpan?> WaitUntilDoneAsync(IReadOnlyList<string> callSids, CancellationToken cancellationToken)
    {
        var deadline = Elapsed + _options.Settle;
        while (Elapsed < deadline)
        {
            try
            {
                if (await _ledger.CountDoneAsync(callSids, cancellationToken) == callSids.Count)
                {
                    return Elapsed;
                }
            }
            catch (Npgsql.NpgsqlException)
            {
                // Postgres may be frozen by another fault right now; the deadline bounds the wait.
            }
            await Task.Delay(PollInterval, cancellationToken);
        }
        return null;
    }

    private async Task<bool> AllHealthyWithinSettleAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Settle);
        try
        {
            // Recovery is measured while the next faults run: a part one of them has stopped (Redis restarting) is
            // waited for, not taken for a failed start.
            await _graph.WaitAllHealthyAsync(WaitBehavior.WaitOnResourceUnavailable, timeout.Token);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private async Task<ChaosReport> JudgeAsync(DateTimeOffset startedAt, double load, IReadOnlyList<string> placed, FaultRecord[] faults, CancellationToken cancellationToken)
    {
        var stored = await _ledger.CallsAsync(placed, cancellationToken);
        var ours = placed.ToHashSet(StringComparer.Ordinal);
        var received = (await _ledger.ReceivedAsync(cancellationToken))
            .Where(w => ours.Contains(w.CallSid) && w.EventType == CallWebhooks.CallCompleted)
            .ToList();
        var receivedByCall = received.GroupBy(w => w.CallSid).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);

        var processed = placed.Count(sid => stored.GetValueOrDefault(sid)?.PipelineStatus == "processed");
        var delivered = placed.Count(receivedByCall.ContainsKey);
        var lost = placed
            .Where(sid => stored.GetValueOrDefault(sid)?.PipelineStatus != "processed" || !receivedByCall.ContainsKey(sid))
            .Select(sid => stored.GetValueOrDefault(sid) is { } call
                ? $"{sid}: {call.PipelineStatus}{(call.ErrorReason is { } reason ? $" ({reason})" : "")}, webhook {call.DeliveryStatus ?? "none"}, {(receivedByCall.ContainsKey(sid) ? "" : "not ")}received"
                : $"{sid}: not in Postgres")
            .ToList();
        var idsNotInPostgres = received.Count(w => stored.GetValueOrDefault(w.CallSid)?.WebhookId != w.Id);
        var report = new ChaosReport(
            _options,
            startedAt,
            Elapsed,
            load,
            placed.Count,
            _placer.Failures,
            processed,
            delivered,
            receivedByCall.Count(c => c.Value.Count > 1),
            received.Count(w => w.OtherBodiesSeen > 0),
            idsNotInPostgres,
            lost,
            await LeftoversAsync(placed, cancellationToken),
            stored.Values.Count(c => c.ProcessingAttempts > 1),
            stored.Values.Sum(c => c.DeliveryAttempts),
            await _graph.AllHealthyAsync(cancellationToken),
            faults);
        Say(report.Passed ? (FormattableString)$"every call processed and delivered once; nothing lost or stuck" : $"the run FAILED its invariants");
        return report;
    }

    /// <summary>
    /// What is still held once the pipeline had time to tidy up: an entry is acknowledged just after its call is saved,
    /// and one a killed worker held is taken over after the claim idle time.
    /// </summary>
    private async Task<Leftovers> LeftoversAsync(IReadOnlyList<string> placed, CancellationToken cancellationToken)
    {
        var deadline = Elapsed + LeftoverWait;
        while (true)
        {
            var leftovers = await _ledger.LeftoversAsync(placed, cancellationToken);
            if (leftovers.None || Elapsed > deadline)
            {
                return leftovers;
            }
            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    private void Say(FormattableString line) => _progress.WriteLine(FormattableString.Invariant($"{Elapsed.TotalSeconds,6:0.0} s  ") + FormattableString.Invariant(line));
}
