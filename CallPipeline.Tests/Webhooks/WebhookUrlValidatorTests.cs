using System.Net;
using CallPipeline.Data.Entities;
using CallPipeline.Webhooks.Targets;

namespace CallPipeline.Tests.Webhooks;

public sealed class WebhookUrlValidatorTests
{
    [Theory]
    [InlineData("https://hooks.example.com/calls")]
    [InlineData("https://hooks.example.com:8443/calls?tenant=7")]
    [InlineData("https://93.184.216.34/calls")]
    public void Public_https_urls_are_accepted_everywhere(string url)
    {
        Assert.Null(WebhookUrlValidator.Validate(url, isDevelopment: false));
        Assert.Null(WebhookUrlValidator.Validate(url, isDevelopment: true));
    }

    [Theory]
    [InlineData("http://hooks.example.com/calls", "must use https")]
    [InlineData("http://localhost:5182/hooks/demo", "must use https")]
    [InlineData("https://localhost/hooks", "loopback or private")]
    [InlineData("https://127.0.0.1/hooks", "loopback or private")]
    [InlineData("https://10.1.2.3/hooks", "loopback or private")]
    [InlineData("https://172.20.0.5/hooks", "loopback or private")]
    [InlineData("https://192.168.1.10/hooks", "loopback or private")]
    [InlineData("https://169.254.169.254/latest/meta-data", "loopback or private")]
    [InlineData("https://100.64.0.1/hooks", "loopback or private")]
    [InlineData("https://0.0.0.0/hooks", "loopback or private")]
    [InlineData("https://[::1]/hooks", "loopback or private")]
    [InlineData("https://[fd00::1]/hooks", "loopback or private")]
    [InlineData("https://[fe80::1]/hooks", "loopback or private")]
    [InlineData("https://[::ffff:10.0.0.1]/hooks", "loopback or private")]
    [InlineData("https://webhook-receiver/hooks/demo", "loopback or private")]
    [InlineData("https://db.internal/hooks", "loopback or private")]
    public void Plain_http_and_internal_targets_are_refused_outside_development_with_the_reason(string url, string reason)
    {
        Assert.Contains(reason, WebhookUrlValidator.Validate(url, isDevelopment: false), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://localhost:5182/hooks/demo")]
    [InlineData("http://127.0.0.1:5182/hooks/demo")]
    [InlineData("http://webhook-receiver/hooks/demo")]
    public void Local_http_targets_are_accepted_in_development(string url)
    {
        Assert.Null(WebhookUrlValidator.Validate(url, isDevelopment: true));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("/hooks/demo", "absolute http or https")]
    [InlineData("hooks.example.com/calls", "absolute http or https")]
    [InlineData("ftp://hooks.example.com/calls", "absolute http or https")]
    [InlineData("javascript:alert(1)", "absolute http or https")]
    [InlineData("https://user:password@hooks.example.com/calls", "credentials")]
    [InlineData("https://hooks.example.com/calls#fragment", "fragment")]
    public void Urls_that_are_not_absolute_http_are_refused_even_in_development_with_the_reason(string url, string reason)
    {
        Assert.Contains(reason, WebhookUrlValidator.Validate(url, isDevelopment: true), StringComparison.Ordinal);
    }

    [Fact]
    public void A_business_reports_each_refused_url_and_a_malformed_secret_by_property()
    {
        var business = new Business
        {
            Name = "b",
            PhoneE164 = "+97235550100",
            InboundWebhookUrl = "https://hooks.example.com/in",
            OutboundWebhookUrl = "http://hooks.example.com/out",
            GenericWebhookUrl = "https://10.0.0.1/any",
            WebhookSecret = "prosaas-webhook-secret-key",
        };

        var errors = WebhookUrlValidator.ValidateBusiness(business, isDevelopment: false);

        Assert.Equal(
            [nameof(Business.GenericWebhookUrl), nameof(Business.OutboundWebhookUrl), nameof(Business.WebhookSecret)],
            errors.Keys.Order());
    }

    [Theory]
    [InlineData("8.8.8.8", false)]
    [InlineData("2606:4700:4700::1111", false)]
    [InlineData("127.0.0.53", true)]
    [InlineData("10.255.255.255", true)]
    [InlineData("172.31.0.1", true)]
    [InlineData("172.32.0.1", false)]
    [InlineData("192.168.0.1", true)]
    [InlineData("169.254.169.254", true)]
    [InlineData("224.0.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("::", true)]
    [InlineData("fc00::1", true)]
    [InlineData("::ffff:192.168.0.1", true)]
    [InlineData("::ffff:8.8.8.8", false)]
    public void Resolved_addresses_are_classified_as_internal_or_public(string address, bool expectedInternal)
    {
        Assert.Equal(expectedInternal, NetworkAddresses.IsInternal(IPAddress.Parse(address)));
    }
}
