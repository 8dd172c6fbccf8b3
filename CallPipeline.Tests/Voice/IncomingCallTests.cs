using System.Xml.Linq;
using CallPipeline.Data.Entities;
using CallPipeline.Tests.Infrastructure;
using CallPipeline.Tests.Voice.Support;
using Microsoft.EntityFrameworkCore;

namespace CallPipeline.Tests.Voice;

/// <summary><c>POST /twilio/voice/incoming</c>: the business by its E.164 number, the call log upsert, and the TwiML.</summary>
[Trait("Category", "Infrastructure")]
public sealed class IncomingCallTests(InfrastructureFixture infrastructure) : IClassFixture<InfrastructureFixture>
{
    private const string BusinessNumber = "+97235550100";
    private const string Caller = "+972501234567";

    [Theory]
    [InlineData("+97235550100")]
    [InlineData("035550100")]
    [InlineData("03-555-0100")]
    [InlineData("+972 3-555-0100")]
    public async Task The_business_is_found_by_the_called_number_normalised_to_e164(string calledNumber)
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);
        var business = await VoiceTestData.AddBusinessAsync(voice.Database, BusinessNumber);
        var callSid = VoiceTestData.NewCallSid();

        var twiml = await voice.IncomingCallAsync(callSid, Caller, calledNumber);

        var call = await VoiceTestData.FindCallAsync(voice.Database, callSid);
        Assert.Equal(business.Id, call!.BusinessId);
        Assert.Equal(CallDirection.Inbound, call.Direction);
        Assert.Equal("inbound", call.TwilioDirection);
        Assert.Equal(PipelineStatus.Received, call.PipelineStatus);
        Assert.StartsWith($"ws://127.0.0.1:", VoiceHost.StreamUrl(twiml), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_twiml_connects_a_stream_to_the_public_host_with_a_token_bound_to_the_call()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure, new Dictionary<string, string> { ["Voice:PublicBaseUrl"] = "https://voice.example.com" });
        await VoiceTestData.AddBusinessAsync(voice.Database, BusinessNumber);
        var first = VoiceTestData.NewCallSid();
        var second = VoiceTestData.NewCallSid();
        var form = (string callSid) => new Dictionary<string, string> { ["CallSid"] = callSid, ["From"] = Caller, ["To"] = BusinessNumber, ["Direction"] = "inbound" };

        using var firstResponse = await voice.PostSignedAsync("/twilio/voice/incoming", form(first), CallPipeline.Twilio.Security.TwilioSignature.Compute(
            VoiceTestData.AuthToken, "https://voice.example.com/twilio/voice/incoming", form(first)));
        using var secondResponse = await voice.PostSignedAsync("/twilio/voice/incoming", form(second), CallPipeline.Twilio.Security.TwilioSignature.Compute(
            VoiceTestData.AuthToken, "https://voice.example.com/twilio/voice/incoming", form(second)));
        var twiml = await firstResponse.Content.ReadAsStringAsync();

        Assert.Equal("text/xml", firstResponse.Content.Headers.ContentType!.MediaType);
        var stream = XDocument.Parse(twiml).Root!.Element("Connect")!.Element("Stream")!;
        Assert.Matches("^wss://voice\\.example\\.com/twilio/media/[A-Za-z0-9_-]{43}$", stream.Attribute("url")!.Value);
        Assert.Contains(stream.Elements("Parameter"), p => p.Attribute("name")!.Value == "CallSid" && p.Attribute("value")!.Value == first);
        Assert.NotEqual(VoiceHost.StreamToken(twiml), VoiceHost.StreamToken(await secondResponse.Content.ReadAsStringAsync()));
        Assert.DoesNotContain(first, VoiceHost.StreamToken(twiml), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_number_gets_a_polite_rejection_and_a_rejected_call_log_never_another_business()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);
        await VoiceTestData.AddBusinessAsync(voice.Database, BusinessNumber, name: "The only active business");
        var callSid = VoiceTestData.NewCallSid();

        var twiml = await voice.IncomingCallAsync(callSid, Caller, "+97235559999");

        var root = XDocument.Parse(twiml).Root!;
        Assert.Equal(["Say", "Hangup"], root.Elements().Select(e => e.Name.LocalName));
        Assert.Null(root.Element("Connect"));
        var call = await VoiceTestData.FindCallAsync(voice.Database, callSid);
        Assert.Null(call!.BusinessId);
        Assert.Equal(PipelineStatus.Rejected, call.PipelineStatus);
        Assert.Contains("no business has this number", call.ErrorReason, StringComparison.Ordinal);
        Assert.Single(voice.Logs.Lines, l => l == $"Rejected call {callSid} to +97235559999: no business has this number");
    }

    [Fact]
    public async Task An_inactive_business_number_is_rejected()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);
        await VoiceTestData.AddBusinessAsync(voice.Database, BusinessNumber, active: false);
        await VoiceTestData.AddBusinessAsync(voice.Database, "+97235550200", name: "Active neighbour");
        var callSid = VoiceTestData.NewCallSid();

        var twiml = await voice.IncomingCallAsync(callSid, Caller, BusinessNumber);

        Assert.Contains("<Hangup", twiml, StringComparison.Ordinal);
        var call = await VoiceTestData.FindCallAsync(voice.Database, callSid);
        Assert.Null(call!.BusinessId);
        Assert.Equal(PipelineStatus.Rejected, call.PipelineStatus);
    }

    [Fact]
    public async Task The_same_webhook_twice_or_concurrently_leaves_one_call_log()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);
        var business = await VoiceTestData.AddBusinessAsync(voice.Database, BusinessNumber);
        var callSid = VoiceTestData.NewCallSid();

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => voice.IncomingCallAsync(callSid, Caller, BusinessNumber)));
        await voice.IncomingCallAsync(callSid, Caller, BusinessNumber);

        await using var db = VoiceTestData.OpenDb(voice.Database);
        var call = Assert.Single(await db.CallLogs.Where(c => c.CallSid == callSid).ToListAsync());
        Assert.Equal(business.Id, call.BusinessId);
        Assert.Single(answers.Select(VoiceHost.StreamToken).Distinct());
    }

    [Theory]
    [InlineData("outbound-api")]
    [InlineData("outbound-dial")]
    public async Task An_outbound_call_finds_the_business_by_its_own_number_and_is_recorded_outbound(string direction)
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);
        var business = await VoiceTestData.AddBusinessAsync(voice.Database, BusinessNumber);
        var callSid = VoiceTestData.NewCallSid();

        var twiml = await voice.IncomingCallAsync(callSid, from: BusinessNumber, to: Caller, direction);

        Assert.Contains("<Connect>", twiml, StringComparison.Ordinal);
        var call = await VoiceTestData.FindCallAsync(voice.Database, callSid);
        Assert.Equal(business.Id, call!.BusinessId);
        Assert.Equal(CallDirection.Outbound, call.Direction);
        Assert.Equal(direction, call.TwilioDirection);
    }

    [Fact]
    public async Task A_client_or_sip_address_is_not_a_number_and_is_rejected()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);
        await VoiceTestData.AddBusinessAsync(voice.Database, BusinessNumber);
        var callSid = VoiceTestData.NewCallSid();

        var twiml = await voice.IncomingCallAsync(callSid, Caller, "client:alice");

        Assert.Contains("<Hangup", twiml, StringComparison.Ordinal);
        Assert.Equal(PipelineStatus.Rejected, (await VoiceTestData.FindCallAsync(voice.Database, callSid))!.PipelineStatus);
    }
}
