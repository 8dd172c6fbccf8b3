using System.Net;
using System.Text;
using CallPipeline.Tests.Voice.Support;
using CallPipeline.Twilio.Rest;
using Microsoft.Extensions.Options;

namespace CallPipeline.Tests.Twilio;

public sealed class TwilioRestClientTests
{
    private readonly FakeTwilioRest _twilio = new();

    [Fact]
    public async Task Starting_a_recording_posts_dual_channel_with_the_status_callback_and_basic_auth()
    {
        var callSid = VoiceTestData.NewCallSid();

        var recording = await Client().StartCallRecordingAsync(callSid, "https://voice.example.com/twilio/recording/status", CancellationToken.None);

        var request = Assert.Single(_twilio.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal($"/2010-04-01/Accounts/{VoiceTestData.AccountSid}/Calls/{callSid}/Recordings.json", request.Path);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{VoiceTestData.AccountSid}:{VoiceTestData.AuthToken}")), request.Authorization);
        Assert.Equal("dual", request.Form["RecordingChannels"]);
        Assert.Equal("https://voice.example.com/twilio/recording/status", request.Form["RecordingStatusCallback"]);
        Assert.Equal("in-progress completed absent", request.Form["RecordingStatusCallbackEvent"]);
        Assert.Equal("POST", request.Form["RecordingStatusCallbackMethod"]);
        Assert.Matches("^RE[0-9a-f]{32}$", recording.Sid);
        Assert.Equal("in-progress", recording.Status);
        Assert.Equal(callSid, recording.CallSid);
        Assert.Equal(2, recording.Channels);
    }

    [Fact]
    public async Task Twilio_errors_surface_with_the_http_status_and_twilio_code()
    {
        _twilio.FailWith = HttpStatusCode.BadRequest;

        var error = await Assert.ThrowsAsync<TwilioApiException>(() => Client().StartCallRecordingAsync(VoiceTestData.NewCallSid(), "https://x/cb", CancellationToken.None));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal(20500, error.TwilioCode);
        Assert.DoesNotContain(VoiceTestData.AuthToken, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Outbound_calls_fetch_the_same_twiml_url_and_report_progress()
    {
        var client = Client();

        var call = await client.CreateCallAsync(
            new OutboundCallRequest("+972501234567", "+97235550100", "https://voice.example.com/twilio/voice/incoming", "https://voice.example.com/twilio/voice/status"),
            CancellationToken.None);

        var request = Assert.Single(_twilio.Requests);
        Assert.Equal($"/2010-04-01/Accounts/{VoiceTestData.AccountSid}/Calls.json", request.Path);
        Assert.Equal("https://voice.example.com/twilio/voice/incoming", request.Form["Url"]);
        Assert.Equal("https://voice.example.com/twilio/voice/status", request.Form["StatusCallback"]);
        Assert.Equal("initiated ringing answered completed", request.Form["StatusCallbackEvent"]);
        Assert.Equal("+972501234567", request.Form["To"]);
        Assert.Equal("+97235550100", request.Form["From"]);
        Assert.Matches("^CA[0-9a-f]{32}$", call.Sid);
        Assert.Equal("outbound-api", call.Direction);
    }

    private TwilioRestClient Client() => new(
        new HttpClient(_twilio),
        Options.Create(new TwilioOptions { AccountSid = VoiceTestData.AccountSid, AuthToken = VoiceTestData.AuthToken, ApiBaseUrl = "https://api.twilio.test/" }));
}
