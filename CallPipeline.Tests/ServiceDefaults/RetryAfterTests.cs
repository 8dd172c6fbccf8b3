using CallPipeline.ServiceDefaults.Http;

namespace CallPipeline.Tests.ServiceDefaults;

/// <summary>Retry-After as the webhook dispatcher and the recording downloader read it.</summary>
public sealed class RetryAfterTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Retry_after_is_read_as_delta_seconds()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), RetryAfter.Parse("30", Now));
    }

    [Fact]
    public void Retry_after_is_read_as_an_http_date()
    {
        Assert.Equal(TimeSpan.FromSeconds(90), RetryAfter.Parse("Wed, 25 Nov 2026 12:01:30 GMT", Now));
    }

    [Theory]
    [InlineData("Wed, 25 Nov 2026 11:00:00 GMT")]
    public void A_retry_after_date_in_the_past_means_no_extra_wait(string value)
    {
        Assert.Equal(TimeSpan.Zero, RetryAfter.Parse(value, Now));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("-5")]
    public void Unreadable_retry_after_is_ignored(string? value)
    {
        Assert.Null(RetryAfter.Parse(value, Now));
    }
}
