namespace CallPipeline.Webhooks.Dispatch;

/// <summary>When to try a failed delivery again: the configured schedule with jitter, never sooner than Retry-After.</summary>
public static class RetryPolicy
{
    /// <param name="failedAttempts">Attempts made so far in this round (1 after the first failure).</param>
    /// <param name="random">A number in [0, 1) that places the jitter.</param>
    /// <returns>The delay before the next attempt, or null when the schedule is exhausted.</returns>
    public static TimeSpan? NextDelay(WebhookDispatcherOptions options, int failedAttempts, TimeSpan? retryAfter, double random)
    {
        var schedule = options.EffectiveRetrySchedule;
        if (failedAttempts < 1 || failedAttempts > schedule.Count)
        {
            return null;
        }

        var scheduled = schedule[failedAttempts - 1];
        var jittered = scheduled * (1 + options.Jitter * (2 * random - 1));
        if (retryAfter is { } requested)
        {
            var honoured = requested < options.MaxRetryAfter ? requested : options.MaxRetryAfter;
            return honoured > jittered ? honoured : jittered;
        }
        return jittered;
    }
}
