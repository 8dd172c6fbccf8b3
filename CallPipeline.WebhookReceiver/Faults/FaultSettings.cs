namespace CallPipeline.WebhookReceiver.Faults;

/// <summary>
/// Misbehaviour to inject, so the dispatcher's retries can be watched against a live endpoint: configuration section
/// <c>Receiver:Faults</c> holds the faults in force at start; <c>PUT /faults</c> replaces them at run time.
/// </summary>
public sealed record FaultSettings
{
    public const string SectionName = "Receiver:Faults";

    /// <summary>Share of correctly signed requests answered with <see cref="StatusCode"/> instead of being accepted (0 to 1).</summary>
    public double FailureRate { get; init; }

    /// <summary>Deterministic variant: the first this-many attempts of every webhook-id fail.</summary>
    public int FailFirstAttempts { get; init; }

    /// <summary>The status of an injected failure (500, 503, 429, 410, 307...).</summary>
    public int StatusCode { get; init; } = 500;

    /// <summary>Waited before answering every signed request, failures and successes alike.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>
    /// Share of correctly signed requests that are stored, as a business would process them, but answered only after
    /// <see cref="HangFor"/> (0 to 1): a sender with a shorter timeout counts the attempt as failed and sends the same
    /// webhook-id again.
    /// </summary>
    public double HangRate { get; init; }

    /// <summary>How long a hanging answer is held back.</summary>
    public TimeSpan HangFor { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Retry-After sent with injected failures (delta seconds or an HTTP date), if any.</summary>
    public string? RetryAfter { get; init; }

    /// <summary>Location sent with injected failures, for 3xx answers.</summary>
    public string? Location { get; init; }
}
