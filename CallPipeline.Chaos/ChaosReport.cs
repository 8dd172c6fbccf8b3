using CallPipeline.Chaos.Verification;

namespace CallPipeline.Chaos;

/// <summary>Everything a chaos run found: the calls' fate, the faults with their recovery, and what was left undone.</summary>
public sealed record ChaosReport(
    ChaosOptions Options,
    DateTimeOffset StartedAt,
    TimeSpan Duration,
    double LoadAtStart,
    int Placed,
    IReadOnlyList<string> PlacementFailures,
    int Processed,
    int Delivered,
    int CallsDeliveredTwice,
    int IdsWithOtherBodies,
    int IdsNotInPostgres,
    IReadOnlyList<string> Lost,
    Leftovers Leftovers,
    int CallsProcessedAgainAfterAFault,
    int WebhookAttempts,
    bool HealthyAtEnd,
    IReadOnlyList<FaultRecord> Faults)
{
    /// <summary>Deliveries the business would count twice: a call under two webhook-ids, or one webhook-id for two events.</summary>
    public int Duplicates => CallsDeliveredTwice + IdsWithOtherBodies + IdsNotInPostgres;

    /// <summary>The invariants the run exists to check.</summary>
    public bool Passed =>
        PlacementFailures.Count == 0 && Processed == Placed && Delivered == Placed && Duplicates == 0 && Lost.Count == 0
        && Leftovers.None && HealthyAtEnd && Faults.All(f => f.RecoveredAfter is not null);
}

/// <summary>
/// One fault: when it began (from the run's start), how long the part was away, the calls unfinished when it began,
/// and how long after the part was back every call placed until then was processed and its webhook delivered (null
/// when that never happened within the settle time).
/// </summary>
public sealed record FaultRecord(int Number, string Kind, TimeSpan At, TimeSpan Down, int CallsInFlight, TimeSpan? RecoveredAfter, string Detail, string? StateFileWhileDown);
