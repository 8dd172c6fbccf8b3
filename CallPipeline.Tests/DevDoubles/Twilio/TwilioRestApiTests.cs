using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CallPipeline.Tests.DevDoubles.Twilio.Support;
using CallPipeline.Tests.Support;

namespace CallPipeline.Tests.DevDoubles.Twilio;

/// <summary>The Twilio REST double: basic auth, recordings and their media, and the 404 right after the callback.</summary>
public sealed class TwilioRestApiTests
{
    [Fact]
    public async Task Requests_without_or_with_wrong_basic_auth_get_401_with_Twilios_error_body()
    {
        await using var twilio = await TwilioDoubleServer.StartAsync();
        var path = $"/2010-04-01/Accounts/{twilio.AccountSid}/Calls/CA00000000000000000000000000000000/Recordings.json";

        using var anonymous = await twilio.Client.PostAsync(path, new FormUrlEncodedContent([]));
        using var wrong = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent([]) };
        wrong.Headers.Authorization = TwilioDoubleServer.BasicAuth(twilio.AccountSid, "not-the-token");
        using var wrongAnswer = await twilio.Client.SendAsync(wrong);
        using var media = await twilio.Client.GetAsync($"/2010-04-01/Accounts/{twilio.AccountSid}/Recordings/RE00000000000000000000000000000000.wav");

        foreach (var response in new[] { anonymous, wrongAnswer, media })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("Basic", response.Headers.WwwAuthenticate.Single().Scheme);
            var error = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(20003, error.GetProperty("code").GetInt32());
            Assert.Equal(401, error.GetProperty("status").GetInt32());
            Assert.Equal("https://www.twilio.com/docs/errors/20003", error.GetProperty("more_info").GetString());
        }
        Assert.DoesNotContain(twilio.Logs.Lines, line => line.Contains(twilio.Gateway.AuthToken, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Starting_a_recording_on_an_unknown_call_or_another_account_is_404()
    {
        await using var twilio = await TwilioDoubleServer.StartAsync();
        var form = new FormUrlEncodedContent([new("RecordingChannels", "dual")]);

        using var unknownCall = await twilio.Authorized.PostAsync(
            $"/2010-04-01/Accounts/{twilio.AccountSid}/Calls/CA00000000000000000000000000000000/Recordings.json", form);
        using var otherAccount = await twilio.Authorized.PostAsync(
            "/2010-04-01/Accounts/AC00000000000000000000000000000000/Calls/CA00000000000000000000000000000000/Recordings.json", form);
        using var unknownRecording = await twilio.Authorized.GetAsync($"/2010-04-01/Accounts/{twilio.AccountSid}/Recordings/RE00000000000000000000000000000000.wav");

        Assert.Equal(HttpStatusCode.NotFound, unknownCall.StatusCode);
        Assert.Equal(20404, (await unknownCall.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, otherAccount.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownRecording.StatusCode);
    }

    [Fact]
    public async Task A_fresh_recording_answers_404_for_the_configured_moment_after_its_callback_and_then_200()
    {
        await using var twilio = await TwilioDoubleServer.StartAsync(new Dictionary<string, string>(TwilioDoubleServer.CallerWaitsForTheGreeting) { ["Twilio:Double:RecordingNotFoundFor"] = "00:00:03" });
        var callSid = await twilio.PlaceCallAsync(new { from = "+972541234567", to = "+97235550100", text = "שלום" });
        var completed = await Eventually.ReturnsAsync(
            () => Task.FromResult(twilio.Gateway.RequestsTo("/twilio/recording/status").FirstOrDefault(r => r["RecordingStatus"] == "completed")),
            r => r is not null, "the recording callback arrived");

        using var tooEarly = await twilio.Authorized.GetAsync(completed!["RecordingUrl"] + ".wav");
        var available = await Eventually.ReturnsAsync(
            async () => (await twilio.Authorized.GetAsync(completed["RecordingUrl"] + ".wav")).StatusCode,
            code => code == HttpStatusCode.OK, "the recording became available", TimeSpan.FromSeconds(20));

        Assert.Equal(HttpStatusCode.NotFound, tooEarly.StatusCode);
        Assert.Equal(20404, (await tooEarly.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetInt32());
        Assert.True(DateTimeOffset.UtcNow - completed.ReceivedAt >= TimeSpan.FromSeconds(2.5));
        await twilio.EndedCallAsync(callSid);
    }

    [Fact]
    public async Task The_recording_is_served_as_mp3_and_as_its_json_resource()
    {
        await using var twilio = await TwilioDoubleServer.StartAsync(TwilioDoubleServer.CallerWaitsForTheGreeting);
        var callSid = await twilio.PlaceCallAsync(new { from = "+972541234567", to = "+97235550100", text = "שלום" });
        await twilio.EndedCallAsync(callSid);
        var completed = await twilio.Gateway.CompletedRecordingCallbackAsync();

        using var mp3 = await twilio.Authorized.GetAsync(completed["RecordingUrl"] + ".mp3");
        using var resource = await twilio.Authorized.GetAsync(completed["RecordingUrl"] + ".json");

        Assert.Equal(HttpStatusCode.OK, mp3.StatusCode);
        Assert.Equal("audio/mpeg", mp3.Content.Headers.ContentType?.MediaType);
        var bytes = await mp3.Content.ReadAsByteArrayAsync();
        // An MP3 starts with an ID3 tag or a frame sync.
        Assert.True(bytes.AsSpan(0, 3).SequenceEqual("ID3"u8) || (bytes[0] == 0xFF && (bytes[1] & 0xE0) == 0xE0));
        var json = await resource.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("completed", json.GetProperty("status").GetString());
        Assert.Equal(completed["RecordingDuration"], json.GetProperty("duration").GetString());
    }

    [Fact]
    public async Task A_call_placed_through_Calls_json_runs_as_outbound_api_through_the_same_TwiML_and_media_path()
    {
        await using var twilio = await TwilioDoubleServer.StartAsync(TwilioDoubleServer.CallerWaitsForTheGreeting);
        var gateway = twilio.Gateway;

        using var response = await twilio.Authorized.PostAsync($"/2010-04-01/Accounts/{twilio.AccountSid}/Calls.json", new FormUrlEncodedContent(
        [
            new("To", "+972541234567"),
            new("From", "+97235550100"),
            new("Url", $"{gateway.BaseUrl}/twilio/voice/incoming"),
            new("StatusCallback", $"{gateway.BaseUrl}/twilio/voice/status"),
            new("StatusCallbackEvent", "initiated"),
            new("StatusCallbackEvent", "answered"),
        ]));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var resource = await response.Content.ReadFromJsonAsync<JsonElement>();
        var callSid = resource.GetProperty("sid").GetString()!;
        Assert.Matches("^CA[0-9a-f]{32}$", callSid);
        Assert.Equal("queued", resource.GetProperty("status").GetString());
        Assert.Equal("outbound-api", resource.GetProperty("direction").GetString());
        Assert.Equal(twilio.AccountSid, resource.GetProperty("account_sid").GetString());
        await twilio.EndedCallAsync(callSid);

        var incoming = Assert.Single(gateway.RequestsTo("/twilio/voice/incoming"));
        Assert.True(incoming.SignatureValid);
        Assert.Equal("outbound-api", incoming["Direction"]);
        Assert.Equal("in-progress", incoming["CallStatus"]);
        Assert.Equal("+97235550100", incoming["From"]);
        var statuses = gateway.RequestsTo("/twilio/voice/status");
        Assert.Equal(["initiated", "in-progress", "completed"], statuses.Select(s => s["CallStatus"]));
        Assert.Equal(["0", "1", "2"], statuses.Select(s => s["SequenceNumber"]));
        Assert.All(statuses, s => Assert.True(s.SignatureValid));
        Assert.Contains(gateway.MediaMessages, m => m.Contains("\"event\":\"stop\"", StringComparison.Ordinal));
        Assert.Single(gateway.RequestsTo("/twilio/recording/status"), r => r["RecordingStatus"] == "completed");
    }

    [Fact]
    public async Task Calls_json_without_To_is_400_with_Twilios_error_21201()
    {
        await using var twilio = await TwilioDoubleServer.StartAsync();

        using var response = await twilio.Authorized.PostAsync($"/2010-04-01/Accounts/{twilio.AccountSid}/Calls.json", new FormUrlEncodedContent(
            [new("From", "+97235550100"), new("Url", "http://127.0.0.1:1/twilio/voice/incoming")]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(21201, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetInt32());
    }
}
