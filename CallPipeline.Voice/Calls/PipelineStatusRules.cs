using CallPipeline.Data.Entities;

namespace CallPipeline.Voice.Calls;

/// <summary>
/// The gateway moves a call only through its own early statuses. Whatever the worker set (processing, processed,
/// failed) or a final verdict (missed, rejected) is never overwritten by a late Twilio callback or a stream event.
/// </summary>
public static class PipelineStatusRules
{
    public static bool IsGatewayStatus(PipelineStatus status) =>
        status is PipelineStatus.Received or PipelineStatus.InProgress or PipelineStatus.Ended;

    /// <summary>The status after the gateway learns <paramref name="next"/>: it only ever moves forward.</summary>
    public static PipelineStatus Advance(PipelineStatus current, PipelineStatus next) =>
        IsGatewayStatus(current) && Rank(next) > Rank(current) ? next : current;

    private static int Rank(PipelineStatus status) => status switch
    {
        PipelineStatus.Received => 0,
        PipelineStatus.InProgress => 1,
        PipelineStatus.Ended => 2,
        _ => 3,
    };
}
