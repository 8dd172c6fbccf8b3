extern alias voice;

using CallPipeline.Data.Entities;
using CallPipeline.Twilio.Rest;
using CallPipeline.Twilio.Validation;
using Microsoft.Extensions.Options;
using voice::CallPipeline.Voice.Calls;

namespace CallPipeline.Tests.Voice;

public sealed class CallRulesTests
{
    [Theory]
    [InlineData("inbound", CallDirection.Inbound)]
    [InlineData("outbound-api", CallDirection.Outbound)]
    [InlineData("outbound-dial", CallDirection.Outbound)]
    [InlineData("trunking-terminating", CallDirection.Outbound)]
    [InlineData("trunking-originating", CallDirection.Inbound)]
    [InlineData("Outbound-API", CallDirection.Outbound)]
    [InlineData("", CallDirection.Unknown)]
    [InlineData(null, CallDirection.Unknown)]
    [InlineData("sideways", CallDirection.Unknown)]
    public void Twilio_directions_are_normalised(string? twilioDirection, CallDirection expected)
    {
        Assert.Equal(expected, CallDirections.Normalize(twilioDirection));
    }

    [Theory]
    [InlineData("+97235550100", "IL", "+97235550100")]
    [InlineData("035550100", "IL", "+97235550100")]
    [InlineData("03-555-0100", "IL", "+97235550100")]
    [InlineData("(415) 867-5309", "US", "+14158675309")]
    [InlineData("+1 415 867 5309", "IL", "+14158675309")]
    [InlineData("client:alice", "IL", null)]
    [InlineData("sip:alice@example.com", "IL", null)]
    [InlineData("anonymous", "IL", null)]
    [InlineData("", "IL", null)]
    public void Numbers_are_normalised_to_e164_in_the_default_region(string number, string region, string? expected)
    {
        Assert.Equal(expected, PhoneNumberNormalizer.ToE164(number, region));
    }

    [Theory]
    [InlineData("03-555-0100", "IL", "+97235550100")]
    [InlineData("+972 54-555-1234", "US", "+972545551234")]
    [InlineData("+97212", "IL", null)]
    [InlineData("12345", "IL", null)]
    [InlineData("+972 54-123-4567", "IL", null)]
    [InlineData("client:alice", "IL", null)]
    public void A_business_number_must_be_a_valid_number_of_its_countrys_plan(string number, string region, string? expected)
    {
        Assert.Equal(expected, PhoneNumberNormalizer.ToValidE164(number, region));
    }

    [Theory]
    [InlineData(PipelineStatus.Received, PipelineStatus.InProgress, PipelineStatus.InProgress)]
    [InlineData(PipelineStatus.InProgress, PipelineStatus.Ended, PipelineStatus.Ended)]
    [InlineData(PipelineStatus.Ended, PipelineStatus.Recorded, PipelineStatus.Recorded)]
    [InlineData(PipelineStatus.Ended, PipelineStatus.InProgress, PipelineStatus.Ended)]
    [InlineData(PipelineStatus.Recorded, PipelineStatus.Ended, PipelineStatus.Recorded)]
    [InlineData(PipelineStatus.Processing, PipelineStatus.Recorded, PipelineStatus.Processing)]
    [InlineData(PipelineStatus.Processed, PipelineStatus.Ended, PipelineStatus.Processed)]
    [InlineData(PipelineStatus.Failed, PipelineStatus.Recorded, PipelineStatus.Failed)]
    [InlineData(PipelineStatus.Rejected, PipelineStatus.InProgress, PipelineStatus.Rejected)]
    [InlineData(PipelineStatus.Missed, PipelineStatus.Ended, PipelineStatus.Missed)]
    public void The_pipeline_status_only_moves_forward_from_the_gateways_own_statuses(PipelineStatus current, PipelineStatus next, PipelineStatus expected)
    {
        Assert.Equal(expected, PipelineStatusRules.Advance(current, next));
    }

    [Fact]
    public void Stream_tokens_are_bound_to_one_call_and_to_the_auth_token()
    {
        var tokens = Tokens("token-one");
        var token = tokens.Create("CA00000000000000000000000000000001");

        Assert.Matches("^[A-Za-z0-9_-]{43}$", token);
        Assert.True(tokens.IsValid(token, "CA00000000000000000000000000000001"));
        Assert.False(tokens.IsValid(token, "CA00000000000000000000000000000002"));
        Assert.False(Tokens("token-two").IsValid(token, "CA00000000000000000000000000000001"));
        Assert.False(tokens.IsValid(token[..^1], "CA00000000000000000000000000000001"));
        Assert.False(tokens.IsValid("", "CA00000000000000000000000000000001"));
    }

    [Theory]
    [InlineData("https://voice.example.com", "wss://voice.example.com")]
    [InlineData("https://voice.example.com/", "wss://voice.example.com")]
    [InlineData("http://127.0.0.1:5180", "ws://127.0.0.1:5180")]
    [InlineData("https://voice.example.com/prefix", "wss://voice.example.com/prefix")]
    public void The_stream_url_uses_wss_for_an_https_public_base_and_ws_for_http(string publicBase, string expected)
    {
        Assert.Equal(expected, TwilioRequestUrl.WebSocketBase(publicBase));
    }

    private static MediaStreamTokens Tokens(string authToken) =>
        new(Options.Create(new TwilioOptions { AccountSid = "AC00000000000000000000000000000000", AuthToken = authToken }));
}
