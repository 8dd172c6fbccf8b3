namespace CallPipeline.Worker.Pipeline;

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

public sealed record JobResult(JobOutcome Outcome, string? Reason = null);
