extern alias devdoubles;

using devdoubles::CallPipeline.DevDoubles.Twilio.Webhooks;

namespace CallPipeline.Tests.DevDoubles.Twilio;

/// <summary>How the double treats webhook URLs as Twilio does (twilio.md §1.3, the security doc's "A few notes").</summary>
public sealed class WebhookTargetTests
{
    [Fact]
    public void Credentials_in_the_url_become_basic_auth_and_are_neither_requested_nor_signed_nor_logged()
    {
        var target = WebhookTarget.Parse("https://user:p%40ss@voice.example.com/twilio/voice/status?x=1");

        Assert.Equal("https://voice.example.com/twilio/voice/status?x=1", target.RequestUrl);
        Assert.Equal("https://voice.example.com/twilio/voice/status?x=1", target.SigningUrl);
        Assert.Equal("user:p@ss", target.BasicCredentials);
        Assert.Equal("https://voice.example.com/twilio/voice/status", target.LogUrl);
    }

    [Fact]
    public void An_https_voice_callback_is_signed_without_its_port()
    {
        var target = WebhookTarget.Parse("https://voice.example.com:8443/twilio/voice/incoming");

        Assert.Equal("https://voice.example.com:8443/twilio/voice/incoming", target.RequestUrl);
        Assert.Equal("https://voice.example.com/twilio/voice/incoming", target.SigningUrl);
    }

    [Fact]
    public void An_http_callback_keeps_its_port_in_the_signature()
    {
        var target = WebhookTarget.Parse("http://127.0.0.1:5180/twilio/voice/incoming");

        Assert.Equal("http://127.0.0.1:5180/twilio/voice/incoming", target.SigningUrl);
        Assert.Null(target.BasicCredentials);
    }
}
