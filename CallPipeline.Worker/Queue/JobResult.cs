namespace CallPipeline.Worker.Queue;

public enum JobOutcome
{
    Processed,
    /// <summary>The call was processed by an earlier delivery or a duplicate job; nothing was redone.</summary>
    AlreadyProcessed,
    /// <summary>The job can never succeed as written (unknown call); it goes to the dead-letter stream at once.</summary>
    Poison,
    /// <summary>Retrying will not help; the call is failed and the job dead-lettered.</summary>
    Permanent,
    /// <summary>Worth another delivery later, until Worker:MaxDeliveries.</summary>
    Transient,
    /// <summary>Another run holds the call's lease (a duplicate job); this entry is looked at again later.</summary>
    Busy,
}

/// <summary>What became of one delivery of a job, as the consumer needs it to settle the entry.</summary>
/// <param name="Reason">Why the job failed; for a dead-lettered job, the reason recorded with it.</param>
/// <param name="GaveUp">
/// A transient failure on the last delivery allowed: the handler has failed the call with <paramref name="Reason"/>,
/// and the entry goes to the dead letters.
/// </param>
public sealed record JobResult(JobOutcome Outcome, string? Reason = null, bool GaveUp = false)
{
    /// <summary>The entry goes to the dead letters: it can never succeed, or it was tried often enough.</summary>
    public bool IsDeadLetter => Outcome is JobOutcome.Poison or JobOutcome.Permanent || GaveUp;
}
