extern alias voice;

using CallPipeline.Tests.Infrastructure;
using CallPipeline.Tests.Support;
using CallPipeline.Tests.Voice.Support;
using voice::CallPipeline.Voice.Telemetry;

namespace CallPipeline.Tests.Voice;

/// <summary>The stream token in the media path never reaches a trace: the request span keeps the route instead.</summary>
[Trait("Category", "Infrastructure")]
public sealed class MediaStreamTracingTests(InfrastructureFixture infrastructure) : IClassFixture<InfrastructureFixture>
{
    private const string BusinessNumber = "+97235550100";

    [Fact]
    public async Task The_media_request_span_records_the_route_and_not_the_token()
    {
        using var spans = new RecordedActivities("Microsoft.AspNetCore", CallTraces.ActivitySourceName);
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

        // The listener hears the whole process: the Twilio double's tests run a fake gateway on the same route, with its
        // own tokens. This test's request is the one whose path is either redacted or still holds this test's token.
        var media = await spans.WaitForAsync(s => s.GetTagItem("http.route") as string == "/twilio/media/{token}"
            && s.GetTagItem("url.path") is string path && (path == "/twilio/media/{token}" || path.Contains(token, StringComparison.Ordinal)),
            "the media request span ends");
        await spans.WaitForAsync(s => s.OperationName == "media stream" && s.GetTagItem("twilio.call_sid") as string == callSid, "the stream's span ends");
        Assert.Equal("/twilio/media/{token}", media.GetTagItem("url.path"));
        Assert.DoesNotContain(spans.Stopped, span => span.DisplayName.Contains(token, StringComparison.Ordinal)
            || span.TagObjects.Any(tag => tag.Value?.ToString()?.Contains(token, StringComparison.Ordinal) ?? false));
    }
}
