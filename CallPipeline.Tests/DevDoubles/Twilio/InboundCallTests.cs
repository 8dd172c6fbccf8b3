extern alias devdoubles;

using System.Buffers.Binary;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using CallPipeline.Tests.DevDoubles.Twilio.Support;
using CallPipeline.Tests.Webhooks.Support;
using devdoubles::CallPipeline.DevDoubles.Speech;
using Microsoft.Extensions.DependencyInjection;

namespace CallPipeline.Tests.DevDoubles.Twilio;

/// <summary>
/// An answered inbound call through the simulator, against a fake gateway that validates every signature: the
/// incoming-call webhook, the TwiML, the Media Stream messages, the recording and the final callbacks.
/// </summary>
public sealed partial class InboundCallTests
{
    private const string Text = "שלום, אני צריך אינסטלטור בתל אביב מחר בבוקר.";
    private const string Caller = "+972541234567";
    private const string Business = "+97235550100";

    [Fact]
    public async Task The_incoming_call_webhook_is_signed_and_carries_Twilios_parameter_set()
    {
        await using var twilio = await TwilioDoubleServer.StartAsync();
        var callSid = await twilio.PlaceCallAsync(new { from = Caller, to = Business, direction = "inbound", text = Text });
        await twilio.EndedCallAsync(callSid);

        var incoming = Assert.Single(twilio.Gateway.RequestsTo("/twilio/voice/incoming"));
        Assert.True(incoming.SignatureValid);
        Assert.Matches(CallSidPattern(), callSid);
        Assert.Equal(callSid, incoming["CallSid"]);
        Assert.Equal(twilio.AccountSid, incoming["AccountSid"]);
        Assert.Equal("2010-04-01", incoming["ApiVersion"]);
        Assert.Equal("ringing", incoming["CallStatus"]);
        Assert.Equal("inbound", incoming["Direction"]);
        Assert.Equal(Caller, incoming["From"]);
        Assert.Equal(Caller, incoming["Caller"]);
        Assert.Equal(Business, incoming["To"]);
        Assert.Equal(Business, incoming["Called"]);
        Assert.Equal("IL", incoming["FromCountry"]);
        Assert.Equal("IL", incoming["ToCountry"]);
    }

    [Fact]
    public async Task The_media_stream_speaks_Twilios_messages_with_string_numbers_and_160_byte_frames()
    {
        await using var twilio = await TwilioDoubleServer.StartAsync();
        var callSid = await twilio.PlaceCallAsync(new { from = Caller, to = Business, direction = "inbound", text = Text });
        await twilio.EndedCallAsync(callSid);

        Assert.Equal([true], twilio.Gateway.UpgradeSignaturesValid);
        var messages = twilio.Gateway.MediaMessages.Select(m => JsonDocument.Parse(m).RootElement).ToList();
        Assert.Equal("connected", messages[0].GetProperty("event").GetString());
        Assert.Equal("Call", messages[0].GetProperty("protocol").GetString());
        Assert.Equal("1.0.0", messages[0].GetProperty("version").GetString());

        var start = messages[1];
        Assert.Equal("start", start.GetProperty("event").GetString());
        Assert.Equal("1", start.GetProperty("sequenceNumber").GetString());
        var details = start.GetProperty("start");
        var streamSid = details.GetProperty("streamSid").GetString()!;
        Assert.Matches("^MZ[0-9a-f]{32}$", streamSid);
        Assert.Equal(streamSid, start.GetProperty("streamSid").GetString());
        Assert.Equal(callSid, details.GetProperty("callSid").GetString());
        Assert.Equal(twilio.AccountSid, details.GetProperty("accountSid").GetString());
        Assert.Equal(["inbound"], details.GetProperty("tracks").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("audio/x-mulaw", details.GetProperty("mediaFormat").GetProperty("encoding").GetString());
        Assert.Equal(8000, details.GetProperty("mediaFormat").GetProperty("sampleRate").GetInt32());
        Assert.Equal(1, details.GetProperty("mediaFormat").GetProperty("channels").GetInt32());
        Assert.Equal("token-123", details.GetProperty("customParameters").GetProperty("token").GetString());
        Assert.Equal("demo", details.GetProperty("customParameters").GetProperty("business").GetString());

        // Every message after connected carries a string sequenceNumber counting up from 1 without gaps.
        var sequence = messages.Skip(1).Select(m => m.GetProperty("sequenceNumber")).ToList();
        Assert.All(sequence, s => Assert.Equal(JsonValueKind.String, s.ValueKind));
        Assert.Equal(Enumerable.Range(1, sequence.Count).Select(n => n.ToString()), sequence.Select(s => s.GetString()));

        var media = messages.Where(m => m.GetProperty("event").GetString() == "media").ToList();
        Assert.True(media.Count > 100, $"only {media.Count} media frames");
        for (var i = 0; i < media.Count; i++)
        {
            var frame = media[i].GetProperty("media");
            Assert.Equal("inbound", frame.GetProperty("track").GetString());
            Assert.Equal((i + 1).ToString(), frame.GetProperty("chunk").GetString());
            Assert.Equal((i * 20).ToString(), frame.GetProperty("timestamp").GetString());
            Assert.Equal(160, Convert.FromBase64String(frame.GetProperty("payload").GetString()!).Length);
            Assert.Equal(streamSid, media[i].GetProperty("streamSid").GetString());
        }
        // The caller spoke: some frames are not silence.
        Assert.Contains(media, m => Convert.FromBase64String(m.GetProperty("media").GetProperty("payload").GetString()!).Any(b => b is < 0x7E or (> 0x80 and < 0xFE)));

        var stop = messages[^1];
        Assert.Equal("stop", stop.GetProperty("event").GetString());
        Assert.Equal(callSid, stop.GetProperty("stop").GetProperty("callSid").GetString());
        Assert.Equal(twilio.AccountSid, stop.GetProperty("stop").GetProperty("accountSid").GetString());
    }

    [Fact]
    public async Task A_mark_is_echoed_only_after_the_audio_sent_before_it_has_played()
    {
        await using var twilio = await TwilioDoubleServer.StartAsync();
        var callSid = await twilio.PlaceCallAsync(new { from = Caller, to = Business, direction = "inbound", text = Text });
        await twilio.EndedCallAsync(callSid);

        var messages = twilio.Gateway.MediaMessages.Select(m => JsonDocument.Parse(m).RootElement).ToList();
        var markIndex = messages.FindIndex(m => m.GetProperty("event").GetString() == "mark");
        Assert.True(markIndex > 0, "the greeting mark was never echoed");
        Assert.Equal("greeting-done", messages[markIndex].GetProperty("mark").GetProperty("name").GetString());
        // The greeting is 600 ms: 30 frames of caller audio go out while it plays, before the echo.
        var framesBefore = messages.Take(markIndex).Count(m => m.GetProperty("event").GetString() == "media");
        Assert.InRange(framesBefore, 30, 200);
        var call = await twilio.CallAsync(callSid);
        Assert.Equal(1, call.GetProperty("stream").GetProperty("marksEchoed").GetInt32());
    }

    [Fact]
    public async Task Keypad_digits_arrive_as_dtmf_messages_after_the_speech_in_the_sequence()
    {
        await using var twilio = await TwilioDoubleServer.StartAsync();
        var callSid = await twilio.PlaceCallAsync(new { from = Caller, to = Business, text = "שלום", digits = "12#" });
        await twilio.EndedCallAsync(callSid);

        var messages = twilio.Gateway.MediaMessages.Select(m => JsonDocument.Parse(m).RootElement).ToList();
        var dtmf = messages.Where(m => m.GetProperty("event").GetString() == "dtmf").ToList();
        Assert.Equal(["1", "2", "#"], dtmf.Select(m => m.GetProperty("dtmf").GetProperty("digit").GetString()));
        Assert.All(dtmf, m => Assert.Equal("inbound_track", m.GetProperty("dtmf").GetProperty("track").GetString()));
        Assert.All(dtmf, m => Assert.Equal(JsonValueKind.String, m.GetProperty("sequenceNumber").ValueKind));
        var sequence = messages.Skip(1).Select(m => int.Parse(m.GetProperty("sequenceNumber").GetString()!)).ToList();
        Assert.Equal(Enumerable.Range(1, sequence.Count), sequence);
    }

    [Fact]
    public async Task Clear_drops_the_buffered_greeting_and_echoes_its_pending_mark_at_once()
    {
        // The caller waits for the greeting however late the gateway sends it (a loaded machine), and the gateway
        // sends it at once (no recording to start first), so the call's frames, not the machine's speed, decide.
        await using var twilio = await TwilioDoubleServer.StartAsync(new Dictionary<string, string> { ["Simulator:CallerPatience"] = "00:10:00" });
        twilio.Gateway.StartRecording = false;
        twilio.Gateway.Greeting = TestTones.MuLawTone(TimeSpan.FromSeconds(10));
        twilio.Gateway.ClearAfterGreeting = true;
        var callSid = await twilio.PlaceCallAsync(new { from = Caller, to = Business, direction = "inbound", text = "שלום" });
        await twilio.EndedCallAsync(callSid);

        var messages = twilio.Gateway.MediaMessages.Select(m => JsonDocument.Parse(m).RootElement).ToList();
        var markIndex = messages.FindIndex(m => m.GetProperty("event").GetString() == "mark");
        // Ten seconds of greeting would take 500 frames; after clear the mark comes back long before that. The margin is
        // for a loaded machine: at the start of a CI run the clear once took 2.4 s (120 frames) to get through.
        var framesBefore = messages.Take(markIndex).Count(m => m.GetProperty("event").GetString() == "media");
        Assert.InRange(framesBefore, 0, 250);
        var call = await twilio.CallAsync(callSid);
        Assert.Equal(1, call.GetProperty("stream").GetProperty("clears").GetInt32());
        Assert.True(call.GetProperty("durationSeconds").GetInt32() < 10);
    }

    [Fact]
    public async Task The_recording_is_a_two_channel_8_kHz_wav_of_the_call_with_the_caller_and_the_gateway()
    {
        await using var twilio = await TwilioDoubleServer.StartAsync(TwilioDoubleServer.CallerWaitsForTheGreeting);
        var callSid = await twilio.PlaceCallAsync(new { from = Caller, to = Business, direction = "inbound", text = Text });
        await twilio.EndedCallAsync(callSid);

        var started = Assert.Single(twilio.Gateway.RecordingStarts);
        Assert.Equal(201, started.StatusCode);
        var resource = JsonDocument.Parse(started.Body).RootElement;
        var recordingSid = resource.GetProperty("sid").GetString()!;
        Assert.Matches("^RE[0-9a-f]{32}$", recordingSid);
        Assert.Equal(callSid, resource.GetProperty("call_sid").GetString());
        Assert.Equal("in-progress", resource.GetProperty("status").GetString());
        Assert.Equal(2, resource.GetProperty("channels").GetInt32());
        Assert.Equal("StartCallRecordingAPI", resource.GetProperty("source").GetString());
        Assert.Equal(JsonValueKind.Null, resource.GetProperty("duration").ValueKind);
        Assert.Equal($"/2010-04-01/Accounts/{twilio.AccountSid}/Calls/{callSid}/Recordings/{recordingSid}.json", resource.GetProperty("uri").GetString());

        var completed = await twilio.Gateway.CompletedRecordingCallbackAsync();
        using var response = await twilio.Authorized.GetAsync(completed["RecordingUrl"] + ".wav?RequestedChannels=2");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("audio/x-wav", response.Content.Headers.ContentType?.MediaType);
        var wav = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal("RIFF", System.Text.Encoding.ASCII.GetString(wav, 0, 4));
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(wav.AsSpan(20)));
        Assert.Equal(2, BinaryPrimitives.ReadUInt16LittleEndian(wav.AsSpan(22)));
        Assert.Equal(8000u, BinaryPrimitives.ReadUInt32LittleEndian(wav.AsSpan(24)));
        Assert.Equal(16, BinaryPrimitives.ReadUInt16LittleEndian(wav.AsSpan(34)));
        var dataBytes = BinaryPrimitives.ReadUInt32LittleEndian(wav.AsSpan(40));
        Assert.Equal(wav.Length - 44, (int)dataBytes);
        var seconds = dataBytes / 4 / 8000.0;
        Assert.InRange(seconds, int.Parse(completed["RecordingDuration"]) - 0.5, int.Parse(completed["RecordingDuration"]) + 0.5);
        var call = await twilio.CallAsync(callSid);
        Assert.InRange(seconds, call.GetProperty("durationSeconds").GetInt32() - 1.5, call.GetProperty("durationSeconds").GetInt32());

        // Channel 1 carries the caller's speech, channel 2 the gateway's greeting tone.
        var (callerPeak, gatewayPeak) = (0, 0);
        for (var offset = 44; offset + 4 <= wav.Length; offset += 4)
        {
            callerPeak = Math.Max(callerPeak, Math.Abs((int)BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(offset))));
            gatewayPeak = Math.Max(gatewayPeak, Math.Abs((int)BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(offset + 2))));
        }
        Assert.True(callerPeak > 1000, $"caller channel peak {callerPeak}");
        Assert.InRange(gatewayPeak, 7000, 9000);

        using var mono = await twilio.Authorized.GetAsync(completed["RecordingUrl"] + ".wav");
        var monoWav = await mono.Content.ReadAsByteArrayAsync();
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(monoWav.AsSpan(22)));
        Assert.Equal(dataBytes / 2, BinaryPrimitives.ReadUInt32LittleEndian(monoWav.AsSpan(40)));
    }

    [Fact]
    public async Task The_call_status_and_recording_callbacks_are_signed_and_carry_the_documented_parameters()
    {
        await using var twilio = await TwilioDoubleServer.StartAsync(TwilioDoubleServer.CallerWaitsForTheGreeting);
        var callSid = await twilio.PlaceCallAsync(new { from = Caller, to = Business, direction = "inbound", text = Text });
        await twilio.EndedCallAsync(callSid);

        var status = Assert.Single(twilio.Gateway.RequestsTo("/twilio/voice/status"));
        Assert.True(status.SignatureValid);
        Assert.Equal("completed", status["CallStatus"]);
        Assert.Equal("0", status["SequenceNumber"]);
        Assert.Equal("call-progress-events", status["CallbackSource"]);
        Assert.True(int.Parse(status["CallDuration"]) >= 2);
        Assert.Matches(@"^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000$", status["Timestamp"]);
        Assert.Equal(callSid, status["CallSid"]);

        var recordingCallbacks = twilio.Gateway.RequestsTo("/twilio/recording/status");
        Assert.Equal(["in-progress", "completed"], recordingCallbacks.Select(r => r["RecordingStatus"]));
        Assert.All(recordingCallbacks, r => Assert.True(r.SignatureValid));
        var completed = recordingCallbacks[1];
        var recordingSid = completed["RecordingSid"];
        Assert.Equal(
            ["AccountSid", "CallSid", "ErrorCode", "RecordingChannels", "RecordingDuration", "RecordingSid", "RecordingSource", "RecordingStartTime",
             "RecordingStatus", "RecordingTrack", "RecordingUrl"],
            completed.Names.Order(StringComparer.Ordinal));
        Assert.Equal(twilio.AccountSid, completed["AccountSid"]);
        Assert.Equal(callSid, completed["CallSid"]);
        Assert.Equal($"{twilio.BaseUrl}/2010-04-01/Accounts/{twilio.AccountSid}/Recordings/{recordingSid}", completed["RecordingUrl"]);
        Assert.Equal("2", completed["RecordingChannels"]);
        Assert.Equal("StartCallRecordingAPI", completed["RecordingSource"]);
        Assert.Equal("0", completed["ErrorCode"]);
        Assert.True(int.Parse(completed["RecordingDuration"]) >= 2);
        // The recording callback follows the call's final status callback, as on Twilio.
        Assert.True(completed.ReceivedAt >= status.ReceivedAt);

        var registry = twilio.Services.GetRequiredService<SpokenTextRegistry>();
        Assert.Equal(Text, registry.Find(recordingSid));
        var call = await twilio.CallAsync(callSid);
        Assert.Equal("completed", call.GetProperty("state").GetString());
        Assert.Equal(recordingSid, call.GetProperty("recordingSid").GetString());
    }

    [Fact]
    public async Task A_second_recording_start_while_one_runs_is_refused_with_400_and_Twilio_error_21220()
    {
        await using var twilio = await TwilioDoubleServer.StartAsync(TwilioDoubleServer.CallerWaitsForTheGreeting);
        twilio.Gateway.StartRecordingTwice = true;
        var callSid = await twilio.PlaceCallAsync(new { from = Caller, to = Business, direction = "inbound", text = "שלום" });
        await twilio.EndedCallAsync(callSid);

        var starts = twilio.Gateway.RecordingStarts.ToList();
        Assert.Equal([201, 400], starts.Select(s => s.StatusCode));
        var error = JsonDocument.Parse(starts[1].Body).RootElement;
        Assert.Equal(21220, error.GetProperty("code").GetInt32());
        Assert.Equal(400, error.GetProperty("status").GetInt32());
        Assert.Equal("https://www.twilio.com/docs/errors/21220", error.GetProperty("more_info").GetString());
        Assert.Single(twilio.Gateway.RequestsTo("/twilio/recording/status"), r => r["RecordingStatus"] == "completed");
    }

    [GeneratedRegex("^CA[0-9a-f]{32}$")]
    private static partial Regex CallSidPattern();
}
