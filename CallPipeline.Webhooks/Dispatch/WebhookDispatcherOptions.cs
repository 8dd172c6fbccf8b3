using System.ComponentModel.DataAnnotations;

namespace CallPipeline.Webhooks.Dispatch;

/// <summary>Configuration section <c>Webhooks:Dispatcher</c>.</summary>
public sealed class WebhookDispatcherOptions : IValidatableObject
{
    public const string SectionName = "Webhooks:Dispatcher";

    /// <summary>Svix's schedule after the immediate first attempt: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (8 attempts, about 27.6 h).</summary>
    public static readonly IReadOnlyList<TimeSpan> SvixRetrySchedule =
    [
        TimeSpan.FromSeconds(5),
        TimeSpan.FromMinutes(5),
        TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(2),
        TimeSpan.FromHours(5),
        TimeSpan.FromHours(10),
        TimeSpan.FromHours(10),
    ];

    /// <summary>
    /// Delays before each retry, counted from the previous failure; the first attempt is immediate.
    /// Unset means <see cref="SvixRetrySchedule"/>. (Null by default: the binder would append to a pre-filled list.)
    /// </summary>
    public TimeSpan[]? RetrySchedule { get; set; }

    /// <summary>Each delay is moved by up to this fraction either way, so failures of one endpoint do not retry in lockstep.</summary>
    [Range(0.0, 1.0)]
    public double Jitter { get; set; } = 0.2;

    /// <summary>An attempt succeeds only with a 2xx response within this time (Svix: 15 s).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a claimed delivery stays invisible to other dispatchers; after it, a dispatcher that died mid-attempt is presumed dead and the delivery is sent again.</summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often an idle dispatcher looks for due deliveries.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Deliveries claimed (and sent in parallel) at a time.</summary>
    [Range(1, 500)]
    public int BatchSize { get; set; } = 16;

    /// <summary>A Retry-After longer than this is cut to it, so one endpoint cannot park a delivery for ever.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromHours(24);

    public IReadOnlyList<TimeSpan> EffectiveRetrySchedule => RetrySchedule is { Length: > 0 } ? RetrySchedule : SvixRetrySchedule;

    /// <summary>The first attempt plus one per retry delay.</summary>
    public int MaxAttempts => EffectiveRetrySchedule.Count + 1;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Timeout <= TimeSpan.Zero)
        {
            yield return new ValidationResult("Timeout must be positive.", [nameof(Timeout)]);
        }
        // The lease must outlive the attempt and its recording, or a second dispatcher would send the same attempt.
        if (ClaimLease <= Timeout + TimeSpan.FromSeconds(1))
        {
            yield return new ValidationResult("ClaimLease must exceed Timeout by more than a second.", [nameof(ClaimLease)]);
        }
        if (PollInterval <= TimeSpan.Zero)
        {
            yield return new ValidationResult("PollInterval must be positive.", [nameof(PollInterval)]);
        }
        if (MaxRetryAfter < TimeSpan.Zero)
        {
            yield return new ValidationResult("MaxRetryAfter must not be negative.", [nameof(MaxRetryAfter)]);
        }
        if (RetrySchedule?.Any(delay => delay < TimeSpan.Zero) == true)
        {
            yield return new ValidationResult("RetrySchedule delays must not be negative.", [nameof(RetrySchedule)]);
        }
    }
}
