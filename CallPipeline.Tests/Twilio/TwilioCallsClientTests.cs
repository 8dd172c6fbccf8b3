using System.Net;
using System.Text;
using CallPipeline.Tests.Twilio.Support;
using CallPipeline.Tests.Voice.Support;
using CallPipeline.Twilio.Rest;
using Microsoft.Extensions.DependencyInjection;
using CallStatus = Twilio.Rest.Api.V2010.Account.CallResource.StatusEnum;
using RecordingStatus = Twilio.Rest.Api.V2010.Account.Call.RecordingResource.StatusEnum;

namespace CallPipeline.Tests.Twilio;

/// <summary>The Twilio SDK as the services register it (<c>AddTwilioRestClient</c>), over a fake of Twilio's REST API.</summary>
public sealed class TwilioCallsClientTests : IDisposable
{
    private const string TestApiBaseUrl = "https://api.twilio.test/";
    private readonly FakeTwilioRest _twilio = new();
    private readonly List<ServiceProvider> _providers = [];

    [Fact]
    public async Task Starting_a_recording_posts_dual_channel_with_the_status_callback_and_basic_auth_to_the_configured_base_url()
    {
        var callSid = VoiceTestData.NewCallSid();

        var recording = await Client().StartCallRecordingAsync(callSid, "https://voice.example.com/twilio/recording/status", CancellationToken.None);

        var request = Assert.Single(_twilio.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal($"{TestApiBaseUrl}2010-04-01/Accounts/{VoiceTestData.AccountSid}/Calls/{callSid}/Recordings.json", request.Url.ToString());
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{VoiceTestData.AccountSid}:{VoiceTestData.AuthToken}")), request.Authorization);
        Assert.StartsWith("twilio-csharp/8.2.0", request.UserAgent, StringComparison.Ordinal);
        Assert.Equal("dual", request.Form["RecordingChannels"].ToString());
        Assert.Equal("https://voice.example.com/twilio/recording/status", request.Form["RecordingStatusCallback"].ToString());
        // The SDK repeats the key for each event; Twilio reads that like the documented space-separated list.
        Assert.Equal(["in-progress", "completed", "absent"], request.Form["RecordingStatusCallbackEvent"].OfType<string>());
        Assert.Equal("POST", request.Form["RecordingStatusCallbackMethod"].ToString());
        Assert.Matches("^RE[0-9a-f]{32}$", recording.Sid);
        Assert.Equal(RecordingStatus.InProgress, recording.Status);
        Assert.Equal(callSid, recording.CallSid);
        Assert.Equal(2, recording.Channels);
    }

    [Fact]
    public async Task Twilios_own_base_url_is_left_as_the_sdk_builds_it()
    {
        await Client("https://api.twilio.com").StartCallRecordingAsync(VoiceTestData.NewCallSid(), "https://x/cb", CancellationToken.None);

        Assert.Equal("https://api.twilio.com", Assert.Single(_twilio.Requests).Url.GetLeftPart(UriPartial.Authority));
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
    public async Task A_server_error_is_not_retried_so_one_call_starts_at_most_one_recording_or_places_one_call()
    {
        _twilio.FailWith = HttpStatusCode.ServiceUnavailable;
        var client = Client();

        var recording = await Assert.ThrowsAsync<TwilioApiException>(() => client.StartCallRecordingAsync(VoiceTestData.NewCallSid(), "https://x/cb", CancellationToken.None));
        var call = await Assert.ThrowsAsync<TwilioApiException>(() => client.CreateCallAsync(Outbound(), CancellationToken.None));

        Assert.Equal(2, _twilio.Requests.Count);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, recording.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, call.StatusCode);
    }

    [Fact]
    public async Task An_unreachable_twilio_is_an_error_without_status_that_names_neither_account_nor_token()
    {
        var client = Services("http://127.0.0.1:1", primaryHandler: null).GetRequiredService<TwilioCallsClient>();

        var error = await Assert.ThrowsAsync<TwilioApiException>(() => client.StartCallRecordingAsync(VoiceTestData.NewCallSid(), "https://x/cb", CancellationToken.None));

        Assert.Null(error.StatusCode);
        Assert.Null(error.TwilioCode);
        Assert.DoesNotContain(VoiceTestData.AccountSid, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(VoiceTestData.AuthToken, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Outbound_calls_fetch_the_same_twiml_url_and_report_progress()
    {
        var call = await Client().CreateCallAsync(Outbound(), CancellationToken.None);

        var request = Assert.Single(_twilio.Requests);
        Assert.Equal($"/2010-04-01/Accounts/{VoiceTestData.AccountSid}/Calls.json", request.Path);
        Assert.Equal("https://voice.example.com/twilio/voice/incoming", request.Form["Url"].ToString());
        Assert.Equal("POST", request.Form["Method"].ToString());
        Assert.Equal("https://voice.example.com/twilio/voice/status", request.Form["StatusCallback"].ToString());
        Assert.Equal(["initiated", "ringing", "answered", "completed"], request.Form["StatusCallbackEvent"].OfType<string>());
        Assert.Equal("+972501234567", request.Form["To"].ToString());
        Assert.Equal("+97235550100", request.Form["From"].ToString());
        Assert.Matches("^CA[0-9a-f]{32}$", call.Sid);
        Assert.Equal(CallStatus.Queued, call.Status);
        Assert.Equal("outbound-api", call.Direction);
    }

    public void Dispose()
    {
        foreach (var provider in _providers)
        {
            provider.Dispose();
        }
    }

    private static OutboundCallRequest Outbound() =>
        new("+972501234567", "+97235550100", "https://voice.example.com/twilio/voice/incoming", "https://voice.example.com/twilio/voice/status");

    private TwilioCallsClient Client(string apiBaseUrl = TestApiBaseUrl) =>
        Services(apiBaseUrl, _twilio).GetRequiredService<TwilioCallsClient>();

    private ServiceProvider Services(string apiBaseUrl, HttpMessageHandler? primaryHandler)
    {
        var provider = TwilioSdkServices.Create(apiBaseUrl, VoiceTestData.AccountSid, VoiceTestData.AuthToken, primaryHandler);
        _providers.Add(provider);
        return provider;
    }
}
