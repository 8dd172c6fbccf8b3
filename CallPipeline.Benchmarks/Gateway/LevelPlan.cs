namespace CallPipeline.Benchmarks.Gateway;

/// <summary>How long each call of a level streams: calls start over the ramp, all are live through the hold, and each ends after ramp plus hold.</summary>
public sealed record LevelPlan(TimeSpan Ramp, TimeSpan Hold)
{
    public TimeSpan CallDuration => Ramp + Hold;
}
