namespace CallPipeline.Worker.Queue;

/// <summary>One delivery of a stream entry to the handler.</summary>
/// <param name="Number">The stream's delivery count of the entry, 1 on the first try.</param>
/// <param name="MaxDeliveries">Worker:MaxDeliveries: after this many, a transient failure is final.</param>
/// <param name="Owner">Who runs it (consumer and entry): the name the call's lease is taken under (<see cref="CallLease"/>).</param>
public sealed record JobDelivery(long Number, int MaxDeliveries, string Owner)
{
    /// <summary>No further delivery follows a failure of this one.</summary>
    public bool IsLast => Number >= MaxDeliveries;

    /// <summary>Delivered more often than allowed without an outcome (e.g. it kept killing its worker).</summary>
    public bool IsOverLimit => Number > MaxDeliveries;
}
