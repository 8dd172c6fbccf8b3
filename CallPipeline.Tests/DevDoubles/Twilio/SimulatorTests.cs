using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CallPipeline.Tests.DevDoubles.Twilio.Support;
using CallPipeline.Tests.Support;
using Twilio.TwiML;
using Reject = Twilio.TwiML.Voice.Reject;

namespace CallPipeline.Tests.DevDoubles.Twilio;

/// <summary>The call simulator's other paths: missed calls, TwiML that rejects, hang-up through the API, duplicates and bad setups.</summary>
public sealed class SimulatorTests
{
    [Theory]
    [InlineData("no-answer")]
    [InlineData("busy")]
    [InlineData("failed")]
    public async Task A_missed_inbound_call_opens_no_stream_records_nothing_and_ends_with_its_status(string outcome)
    {
        await using var twilio = await TwilioDoubleServer.StartAsync(TwilioDoubleServer.CallerWaitsForTheGreeting);
        var callSid = await twilio.PlaceCallAsync(new { from = "+972541234567", to = "+97235550100", direction = "inbound", text = "שלום", outcome });
        var call = await twilio.EndedCallAsync(callSid);

        Assert.Single(twilio.Gateway.RequestsTo("/twilio/voice/incoming"));
        var status = Assert.Single(twilio.Gateway.RequestsTo("/twilio/voice/status"));
        Assert.True(status.SignatureValid);
        Assert.Equal(outcome, status["CallStatus"]);
        Assert.Equal("0", status["CallDuration"]);
        Assert.Empty(twilio.Gateway.MediaMessages);
        Assert.Empty(twilio.Gateway.RequestsTo("/twilio/recording/status"));
        Assert.Equal(outcome, call.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, call.GetProperty("recordingSid").ValueKind);
    }

    [Fact]
    public async Task A_missed_outbound_call_never_fetches_TwiML()
    {
        await using var twilio = await TwilioDoubleServer.StartAsync();
        var callSid = await twilio.PlaceCallAsync(new { from = "+97235550100", to = "+972541234567", direction = "outbound", outcome = "no-answer" });
        await twilio.EndedCallAsync(callSid);

        Assert.Empty(twilio.Gateway.RequestsTo("/twilio/voice/incoming"));
        Assert.Equal(["initiated", "ringing", "no-answer"], twilio.Gateway.RequestsTo("/twilio/voice/status").Select(s => s["CallStatus"]));
    }

    [Fact]
    public async Task Reject_TwiML_ends_the_call_busy_without_a_stream()
    {
        await using var twilio = await TwilioDoubleServer.StartAsync();
        twilio.Gateway.Twiml = () => new VoiceResponse().Say("Sorry.").Reject(Reject.ReasonEnum.Rejected).ToString();
        var callSid = await twilio.PlaceCallAsync(new { from = "+972541234567", to = "+97230000000", text = "שלום" });
        await twilio.EndedCallAsync(callSid);

        Assert.Equal("busy", Assert.Single(twilio.Gateway.RequestsTo("/twilio/voice/status"))["CallStatus"]);
        Assert.Empty(twilio.Gateway.MediaMessages);
    }

    [Fact]
    public async Task Hanging_up_through_the_REST_API_stops_the_stream_and_completes_the_call()
    {
        await using var twilio = await TwilioDoubleServer.StartAsync(new Dictionary<string, string> { ["Simulator:Speed"] = "1" });
        var callSid = await twilio.PlaceCallAsync(new { from = "+972541234567", to = "+97235550100", text = "שלום, אני צריך אינסטלטור בתל אביב מחר בבוקר, יש נזילה במטבח." });
        await Eventually.ReturnsAsync(() => Task.FromResult(twilio.Gateway.MediaMessages.Count), count => count > 10, "the stream runs");
        var recordingSid = JsonDocument.Parse(Assert.Single(twilio.Gateway.RecordingStarts).Body).RootElement.GetProperty("sid").GetString();
        var recording = await twilio.Authorized.GetFromJsonAsync<JsonElement>($"/2010-04-01/Accounts/{twilio.AccountSid}/Recordings/{recordingSid}.json");
        // While recording, Twilio reports the duration as the string "-1".
        Assert.Equal("in-progress", recording.GetProperty("status").GetString());
        Assert.Equal("-1", recording.GetProperty("duration").GetString());

        using var hangUp = await twilio.Authorized.PostAsync($"/2010-04-01/Accounts/{twilio.AccountSid}/Calls/{callSid}.json",
            new FormUrlEncodedContent([new("Status", "completed")]));
        var call = await twilio.EndedCallAsync(callSid);
        using var again = await twilio.Authorized.PostAsync($"/2010-04-01/Accounts/{twilio.AccountSid}/Calls/{callSid}.json",
            new FormUrlEncodedContent([new("Status", "completed")]));

        Assert.Equal(HttpStatusCode.OK, hangUp.StatusCode);
        Assert.Equal("completed", call.GetProperty("state").GetString());
        Assert.Contains(twilio.Gateway.MediaMessages, m => m.Contains("\"event\":\"stop\"", StringComparison.Ordinal));
        Assert.True(call.GetProperty("durationSeconds").GetInt32() < 5);
        // Hanging up a call that has ended is Twilio's 20404.
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task A_gateway_that_drops_the_stream_connection_ends_the_call_cleanly_with_its_callbacks()
    {
        await using var twilio = await TwilioDoubleServer.StartAsync();
        twilio.Gateway.AbortStream = true;
        var callSid = await twilio.PlaceCallAsync(new { from = "+972541234567", to = "+97235550100", text = "שלום" });
        var call = await twilio.EndedCallAsync(callSid);

        Assert.Equal("completed", call.GetProperty("state").GetString());
        Assert.Equal("completed", Assert.Single(twilio.Gateway.RequestsTo("/twilio/voice/status"))["CallStatus"]);
        Assert.DoesNotContain(twilio.Logs.Lines, line => line.Contains("WebSocketException", StringComparison.Ordinal) || line.Contains("broke off", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_duplicate_callbacks_on_every_callback_arrives_twice_with_the_same_idempotency_token()
    {
        await using var twilio = await TwilioDoubleServer.StartAsync(new Dictionary<string, string>(TwilioDoubleServer.CallerWaitsForTheGreeting) { ["Twilio:Double:DuplicateCallbacks"] = "true" });
        var callSid = await twilio.PlaceCallAsync(new { from = "+972541234567", to = "+97235550100", text = "שלום" });
        await twilio.EndedCallAsync(callSid);

        var statuses = twilio.Gateway.RequestsTo("/twilio/voice/status");
        Assert.Equal(2, statuses.Count);
        Assert.Equal(statuses[0].Form, statuses[1].Form);
        Assert.Equal(statuses[0].IdempotencyToken, statuses[1].IdempotencyToken);
        Assert.Equal(2, (await twilio.Gateway.CompletedRecordingCallbacksAsync(2)).Count);
    }

    [Fact]
    public async Task Without_espeak_ng_placing_a_call_is_503_naming_the_package()
    {
        await using var twilio = await TwilioDoubleServer.StartAsync(new Dictionary<string, string> { ["Simulator:EspeakProgram"] = "/nonexistent/espeak-ng" });

        using var response = await twilio.Client.PostAsJsonAsync("/simulator/calls", new { from = "+972541234567", to = "+97235550100", text = "שלום" });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("espeak-ng", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Empty(twilio.Gateway.Requests);
    }

    [Fact]
    public async Task A_call_request_without_numbers_or_with_an_unknown_outcome_is_400()
    {
        await using var twilio = await TwilioDoubleServer.StartAsync();

        using var response = await twilio.Client.PostAsJsonAsync("/simulator/calls", new { to = "+97235550100", outcome = "maybe" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("from", out _));
        Assert.True(errors.TryGetProperty("outcome", out _));
    }

    [Fact]
    public async Task Given_audio_is_played_as_the_caller_and_the_text_is_registered_as_what_was_said()
    {
        await using var twilio = await TwilioDoubleServer.StartAsync(TwilioDoubleServer.CallerWaitsForTheGreeting);
        var wav = WavOf(TestTones.MuLawTone(TimeSpan.FromSeconds(2)));

        var callSid = await twilio.PlaceCallAsync(new { from = "+972541234567", to = "+97235550100", text = "שלום", audio = Convert.ToBase64String(wav) });
        var call = await twilio.EndedCallAsync(callSid);

        Assert.Equal("completed", call.GetProperty("state").GetString());
        Assert.True(call.GetProperty("stream").GetProperty("framesSent").GetInt32() >= 100);
        var completed = await twilio.Gateway.CompletedRecordingCallbackAsync();
        Assert.True(int.Parse(completed["RecordingDuration"]) >= 2);
    }

    [Fact]
    public async Task Ten_calls_placed_at_once_all_stream_record_and_call_back()
    {
        await using var twilio = await TwilioDoubleServer.StartAsync(TwilioDoubleServer.CallerWaitsForTheGreeting);

        var callSids = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            twilio.PlaceCallAsync(new { from = $"+97254123456{i}", to = "+97235550100", text = "שלום, אני צריך אינסטלטור" })));
        foreach (var callSid in callSids)
        {
            // A call that failed says why here (its state and events), not as a missing callback below.
            var call = await twilio.EndedCallAsync(callSid);
            Assert.True(call.GetProperty("state").GetString() == "completed", $"{callSid}: {call}");
        }

        // Twilio sends the recording's callback after the call has ended, as the recording becomes available.
        var completed = await twilio.Gateway.CompletedRecordingCallbacksAsync(callSids.Length);
        Assert.Equal(callSids.Order(), completed.Select(r => r["CallSid"]).Order());
        Assert.Equal(10, completed.Select(r => r["RecordingSid"]).Distinct().Count());
        Assert.All(twilio.Gateway.Requests, r => Assert.True(r.SignatureValid));
        Assert.Equal(10, twilio.Gateway.RequestsTo("/twilio/voice/status").Count(r => r["CallStatus"] == "completed"));
    }

    [Fact]
    public async Task The_logs_carry_ids_but_never_the_auth_token_nor_the_callers_words()
    {
        const string text = "קוראים לי דני ואני גר ברחוב הרצל";
        await using var twilio = await TwilioDoubleServer.StartAsync();
        var callSid = await twilio.PlaceCallAsync(new { from = "+972541234567", to = "+97235550100", text });
        await twilio.EndedCallAsync(callSid);

        Assert.Contains(twilio.Logs.Lines, line => line.Contains(callSid, StringComparison.Ordinal));
        Assert.DoesNotContain(twilio.Logs.Lines, line => line.Contains(twilio.Gateway.AuthToken, StringComparison.Ordinal));
        Assert.DoesNotContain(twilio.Logs.Lines, line => line.Contains("דני", StringComparison.Ordinal));
        Assert.DoesNotContain(twilio.Logs.Lines, line => line.Contains("Unhandled exception", StringComparison.Ordinal));
    }

    private static byte[] WavOf(byte[] muLaw)
    {
        // A mu-law WAV (format 7), which ffmpeg reads like any other input.
        using var wav = new MemoryStream();
        using var writer = new BinaryWriter(wav);
        writer.Write("RIFF"u8);
        writer.Write(36 + muLaw.Length);
        writer.Write("WAVEfmt "u8);
        writer.Write(16);
        writer.Write((short)7);
        writer.Write((short)1);
        writer.Write(8000);
        writer.Write(8000);
        writer.Write((short)1);
        writer.Write((short)8);
        writer.Write("data"u8);
        writer.Write(muLaw.Length);
        writer.Write(muLaw);
        writer.Flush();
        return wav.ToArray();
    }

    [Fact]
    public async Task The_simulator_lists_calls_and_answers_404_for_an_unknown_one()
    {
        await using var twilio = await TwilioDoubleServer.StartAsync();
        var callSid = await twilio.PlaceCallAsync(new { from = "+972541234567", to = "+97235550100", text = "שלום" });

        var list = await twilio.Client.GetFromJsonAsync<JsonElement>("/simulator/calls");
        using var unknown = await twilio.Client.GetAsync("/simulator/calls/CA00000000000000000000000000000000");

        Assert.Contains(list.EnumerateArray(), c => c.GetProperty("callSid").GetString() == callSid);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        await twilio.EndedCallAsync(callSid);
    }
}
