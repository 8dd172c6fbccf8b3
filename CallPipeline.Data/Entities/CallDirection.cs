namespace CallPipeline.Data.Entities;

public enum CallDirection
{
    Unknown,
    Inbound,
    Outbound,
}
