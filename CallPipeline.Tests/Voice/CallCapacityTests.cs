extern alias voice;

using System.Net.WebSockets;
using System.Xml.Linq;
using CallPipeline.Data.Entities;
using CallPipeline.Tests.Infrastructure;
using CallPipeline.Tests.Support;
using CallPipeline.Tests.Voice.Support;
using Microsoft.Extensions.DependencyInjection;
using voice::CallPipeline.Voice.Calls;

namespace CallPipeline.Tests.Voice;

/// <summary><c>Voice:MaxConcurrentCalls</c>: past it a call hears the busy message in the business's language and is recorded with the reason.</summary>
[Trait("Category", "Infrastructure")]
public sealed class CallCapacityTests(InfrastructureFixture infrastructure) : IClassFixture<InfrastructureFixture>
{
    private const string BusinessNumber = "+97235550100";
    private const string Caller = "+972501234567";

    [Fact]
    public async Task A_call_past_capacity_hears_the_busy_message_in_the_business_language_and_is_recorded_with_the_reason()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure, new Dictionary<string, string> { ["Voice:MaxConcurrentCalls"] = "1" });
        await VoiceTestData.AddBusinessAsync(voice.Database, BusinessNumber);
        var live = VoiceTestData.NewCallSid();
        var busy = VoiceTestData.NewCallSid();
        var later = VoiceTestData.NewCallSid();

        var liveTwiml = await voice.IncomingCallAsync(live, Caller, BusinessNumber);
        var streamSid = VoiceTestData.NewStreamSid();
        await using (var twilio = await voice.ConnectMediaAsync(VoiceHost.StreamToken(liveTwiml)))
        {
            await twilio.SendStartAsync(live, streamSid);
            await twilio.WaitForEventsAsync("mark", 1);

            var busyTwiml = XDocument.Parse(await voice.IncomingCallAsync(busy, Caller, BusinessNumber)).Root!;

            var say = busyTwiml.Element("Say")!;
            Assert.Equal("he-IL", say.Attribute("language")!.Value);
            Assert.Contains("תפוסים", say.Value, StringComparison.Ordinal);
            Assert.NotNull(busyTwiml.Element("Hangup"));
            Assert.Null(busyTwiml.Element("Connect"));
            var call = await VoiceTestData.FindCallAsync(voice.Database, busy);
            Assert.Equal(PipelineStatus.Rejected, call!.PipelineStatus);
            Assert.NotNull(call.BusinessId);
            Assert.StartsWith("Busy: this gateway instance already carries its 1 concurrent calls", call.ErrorReason, StringComparison.Ordinal);

            await twilio.SendStopAsync(live, streamSid);
            Assert.Equal(WebSocketCloseStatus.NormalClosure, await twilio.WaitForCloseAsync());
        }

        // The place comes back once the live call's stream has ended.
        var capacity = voice.Services.GetRequiredService<CallCapacity>();
        await Eventually.ReturnsAsync(() => Task.FromResult(capacity.InUse), n => n == 0, "the live call's place is given back", TimeSpan.FromSeconds(30));
        Assert.Contains("<Stream", await voice.IncomingCallAsync(later, Caller, BusinessNumber), StringComparison.Ordinal);
        Assert.Equal(PipelineStatus.Received, (await VoiceTestData.FindCallAsync(voice.Database, later))!.PipelineStatus);
        Assert.Equal(1, voice.Logs.Count($"Answered call {busy} busy"));
    }
}
