using System.Collections.Concurrent;
using System.Diagnostics;
using CallPipeline.Tests.Infrastructure;
using CallPipeline.Tests.Voice.Support;
using CallPipeline.Tests.Webhooks.Support;

namespace CallPipeline.Tests.Voice;

/// <summary>The stream token in the media path never reaches a trace: the request span keeps the route instead.</summary>
[Collection(InfrastructureCollection.Name)]
[Trait("Category", "Infrastructure")]
public sealed class MediaStreamTracingTests(InfrastructureFixture infrastructure)
{
    private const string BusinessNumber = "+97235550100";

    [Fact]
    public async Task The_media_request_span_records_the_route_and_not_the_token()
    {
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var voice = await VoiceHost.StartAsync(infrastructure);
        await VoiceTestData.AddBusinessAsync(voice.Database, BusinessNumber);
        var callSid = VoiceTestData.NewCallSid();
        var token = VoiceHost.StreamToken(await voice.IncomingCallAsync(callSid, "+972501234567", BusinessNumber));

        await using (var twilio = await voice.ConnectMediaAsync(token))
        {
            var streamSid = VoiceTestData.NewStreamSid();
            await twilio.SendConnectedAsync();
            await twilio.SendStartAsync(callSid, streamSid);
            await twilio.SendStopAsync(callSid, streamSid);
            await twilio.WaitForCloseAsync();
        }

        var media = await Eventually.ReturnsAsync(
            () => Task.FromResult(stopped.Where(a => a.GetTagItem("http.route") as string == "/twilio/media/{token}").ToList()),
            spans => spans.Count > 0,
            "the media request span ends");
        Assert.All(media, span => Assert.Equal("/twilio/media/{token}", span.GetTagItem("url.path")));
        Assert.DoesNotContain(stopped, span => span.TagObjects.Any(tag => tag.Value?.ToString()?.Contains(token, StringComparison.Ordinal) ?? false));
    }
}
