using System.Diagnostics.Metrics;
using System.Net.WebSockets;
using CallPipeline.Tests.Infrastructure;
using CallPipeline.Tests.Support;
using CallPipeline.Tests.Voice.Support;
using Microsoft.Extensions.DependencyInjection;

namespace CallPipeline.Tests.Voice;

/// <summary>The gateway's metrics: calls by outcome and direction, and media streams open now.</summary>
[Trait("Category", "Infrastructure")]
public sealed class VoiceMetricsTests(InfrastructureFixture infrastructure) : IClassFixture<InfrastructureFixture>
{
    private const string BusinessNumber = "+97235550100";
    private const string Caller = "+972501234567";

    [Fact]
    public async Task Answered_and_rejected_calls_are_counted_and_an_open_stream_is_active_until_it_closes()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);
        using var measurements = new MeterMeasurements(voice.Services.GetRequiredService<IMeterFactory>());
        await VoiceTestData.AddBusinessAsync(voice.Database, BusinessNumber);
        var (answered, rejected) = (VoiceTestData.NewCallSid(), VoiceTestData.NewCallSid());

        var twiml = await voice.IncomingCallAsync(answered, Caller, BusinessNumber);
        await voice.IncomingCallAsync(rejected, Caller, "+97235550999");
        await using (var twilio = await voice.ConnectMediaAsync(VoiceHost.StreamToken(twiml)))
        {
            var streamSid = VoiceTestData.NewStreamSid();
            await twilio.SendConnectedAsync();
            await twilio.SendStartAsync(answered, streamSid);
            await Eventually.ReturnsAsync(() => Task.FromResult(ActiveStreams(measurements)), n => n == 1, "the stream is active");
            await twilio.SendStopAsync(answered, streamSid);
            Assert.Equal(WebSocketCloseStatus.NormalClosure, await twilio.WaitForCloseAsync());
        }

        await Eventually.ReturnsAsync(() => Task.FromResult(ActiveStreams(measurements)), n => n == 0, "the stream is no longer active");
        var calls = measurements.Of("callpipeline.voice.calls");
        Assert.Equal(
            [("answered", "inbound"), ("rejected", "inbound")],
            calls.Select(c => (c.Tags["outcome"], c.Tags["direction"])).Order());
    }

    private static double ActiveStreams(MeterMeasurements measurements) =>
        measurements.Of("callpipeline.voice.media_streams.active").Sum(m => m.Value);
}
