using CallPipeline.Twilio.Validation;

namespace CallPipeline.Tests.Twilio;

public sealed class TwilioSidFormatTests
{
    [Theory]
    [InlineData("CA0123456789abcdef0123456789abcdef", "CA", true)]
    [InlineData("CA0123456789ABCDEF0123456789ABCDEF", "CA", true)]
    [InlineData("RE0123456789abcdef0123456789abcdef", "RE", true)]
    [InlineData("RE0123456789abcdef0123456789abcdef", "CA", false)]
    [InlineData("CA0123456789abcdef0123456789abcde", "CA", false)]
    [InlineData("CA0123456789abcdef0123456789abcdef0", "CA", false)]
    [InlineData("CA0123456789abcdef0123456789abcdeg", "CA", false)]
    [InlineData("ca0123456789abcdef0123456789abcdef", "CA", false)]
    [InlineData("../../etc/passwd", "CA", false)]
    [InlineData("", "CA", false)]
    [InlineData(null, "CA", false)]
    public void A_sid_is_its_prefix_and_32_hex_digits(string? value, string prefix, bool valid) =>
        Assert.Equal(valid, TwilioSidFormat.IsValid(value, prefix));
}
