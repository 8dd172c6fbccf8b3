using CallPipeline.Webhooks.Dispatch;

namespace CallPipeline.Tests.Webhooks;

public sealed class RetryPolicyTests
{
    [Fact]
    public void The_default_schedule_is_svix_eight_attempts_over_about_a_day()
    {
        var options = new WebhookDispatcherOptions { Jitter = 0 };

        var delays = Enumerable.Range(1, 7).Select(failed => RetryPolicy.NextDelay(options, failed, null, 0.5)!.Value).ToArray();

        Assert.Equal(8, options.MaxAttempts);
        Assert.Equal(
            [TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2), TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10)],
            delays);
        Assert.Null(RetryPolicy.NextDelay(options, 8, null, 0.5));
    }

    [Fact]
    public void Jitter_moves_a_delay_within_its_fraction_either_way()
    {
        var options = new WebhookDispatcherOptions { Jitter = 0.2 };

        Assert.Equal(TimeSpan.FromMinutes(4), RetryPolicy.NextDelay(options, 2, null, 0.0));
        Assert.Equal(TimeSpan.FromMinutes(6), RetryPolicy.NextDelay(options, 2, null, 1.0));
    }

    [Fact]
    public void A_configured_schedule_replaces_the_default_and_sets_the_attempt_count()
    {
        var options = new WebhookDispatcherOptions { Jitter = 0, RetrySchedule = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)] };

        Assert.Equal(3, options.MaxAttempts);
        Assert.Equal(TimeSpan.FromSeconds(2), RetryPolicy.NextDelay(options, 2, null, 0.5));
        Assert.Null(RetryPolicy.NextDelay(options, 3, null, 0.5));
    }

    [Fact]
    public void Retry_after_longer_than_the_schedule_wins()
    {
        var options = new WebhookDispatcherOptions { Jitter = 0 };

        Assert.Equal(TimeSpan.FromSeconds(120), RetryPolicy.NextDelay(options, 1, TimeSpan.FromSeconds(120), 0.5));
    }

    [Fact]
    public void Retry_after_shorter_than_the_schedule_does_not_hurry_the_retry()
    {
        var options = new WebhookDispatcherOptions { Jitter = 0 };

        Assert.Equal(TimeSpan.FromMinutes(5), RetryPolicy.NextDelay(options, 2, TimeSpan.FromSeconds(1), 0.5));
    }

    [Fact]
    public void Retry_after_is_capped()
    {
        var options = new WebhookDispatcherOptions { Jitter = 0, MaxRetryAfter = TimeSpan.FromHours(1) };

        Assert.Equal(TimeSpan.FromHours(1), RetryPolicy.NextDelay(options, 1, TimeSpan.FromDays(30), 0.5));
    }

    [Fact]
    public void A_claim_lease_not_longer_than_the_timeout_is_invalid()
    {
        var options = new WebhookDispatcherOptions { Timeout = TimeSpan.FromSeconds(30), ClaimLease = TimeSpan.FromSeconds(30) };

        var errors = options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)).ToList();

        Assert.Contains(errors, e => e.MemberNames.Contains(nameof(WebhookDispatcherOptions.ClaimLease)));
    }
}
