namespace CallPipeline.Webhooks.Dispatch;

public enum AttemptResult
{
    Delivered,
    /// <summary>410 Gone: the business's endpoint asked to stop; webhooks are turned off for it.</summary>
    Gone,
    Failed,
}

/// <summary>What one HTTP attempt produced. <see cref="Error"/> is short and never holds the payload, URL query or secret.</summary>
public sealed record AttemptOutcome(AttemptResult Result, int? StatusCode, int LatencyMs, string? Error, TimeSpan? RetryAfter);
