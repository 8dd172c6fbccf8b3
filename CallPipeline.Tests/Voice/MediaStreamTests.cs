extern alias voice;

using System.Net;
using System.Net.WebSockets;
using CallPipeline.Data.Entities;
using CallPipeline.Tests.Infrastructure;
using CallPipeline.Tests.Support;
using CallPipeline.Tests.Voice.Support;
using CallPipeline.Twilio.Audio;
using CallPipeline.Twilio.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using voice::CallPipeline.Voice.Calls;
using voice::CallPipeline.Voice.Conversation;
using voice::CallPipeline.Voice.MediaStreams;

namespace CallPipeline.Tests.Voice;

/// <summary>
/// <c>GET /twilio/media/{token}</c> over a real WebSocket: admission, the local recording, the Twilio recording, the
/// greeting, and exactly-once finalization whatever way the stream ends.
/// </summary>
[Trait("Category", "Infrastructure")]
public sealed class MediaStreamTests(InfrastructureFixture infrastructure) : IClassFixture<InfrastructureFixture>
{
    private const string BusinessNumber = "+97235550100";
    private const string Caller = "+972501234567";

    [Fact]
    public async Task A_full_session_records_both_directions_starts_one_recording_and_finalizes_once()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);
        var (callSid, token) = await AnswerAsync(voice);
        var streamSid = VoiceTestData.NewStreamSid();
        const int frames = 75;

        await using (var twilio = await voice.ConnectMediaAsync(token))
        {
            await twilio.SendConnectedAsync();
            await twilio.SendStartAsync(callSid, streamSid);
            await twilio.WaitForEventsAsync("mark", 1);
            await twilio.SendFramesAsync(streamSid, frames, value: 0x9E);
            await twilio.SendMarkAsync(streamSid, GreetingConversation.GreetingMark);
            await twilio.SendStopAsync(callSid, streamSid);

            Assert.Equal(WebSocketCloseStatus.NormalClosure, await twilio.WaitForCloseAsync());
            var greeting = twilio.ReceivedEvents("media").ToList();
            Assert.Equal(GreetingTone.MuLaw.Length / 160, greeting.Count);
            Assert.All(greeting, m => Assert.Equal(streamSid, m.GetProperty("streamSid").GetString()));
            Assert.All(greeting, m => Assert.Equal(160, Convert.FromBase64String(m.GetProperty("media").GetProperty("payload").GetString()!).Length));
            Assert.Equal("mark", twilio.Received[^1].GetProperty("event").GetString());
            Assert.Equal(GreetingConversation.GreetingMark, twilio.Received[^1].GetProperty("mark").GetProperty("name").GetString());
        }

        var call = await WaitForFinalizedAsync(voice, callSid);
        var recordingSid = Assert.Single(voice.Twilio.RecordingSids.Values);
        Assert.Single(voice.Twilio.Requests);
        Assert.Equal(recordingSid, call.RecordingSid);
        Assert.Equal(streamSid, call.MediaStreamSid);
        Assert.Equal(PipelineStatus.Ended, call.PipelineStatus);
        Assert.NotNull(call.EndedAt);
        Assert.NotNull(call.DurationSeconds);

        var wav = await VoiceTestData.StoredRecordingAsync(voice.Database, callSid);
        Assert.Equal((2, 8000, 16), (wav.Channels, wav.SampleRate, wav.BitsPerSample));
        Assert.Equal(frames * 160, wav.SampleFrames);
        Assert.All(wav.Channel(0), s => Assert.Equal(MuLaw.Decode(0x9E), s));
        var greetingPcm = GreetingTone.MuLaw.ToArray().Select(MuLaw.Decode).ToArray();
        Assert.Equal(greetingPcm, wav.Channel(1).Take(greetingPcm.Length));
        Assert.All(wav.Channel(1).Skip(greetingPcm.Length), s => Assert.Equal(0, s));

        Assert.Equal(1, voice.Logs.Count($"Recording started for {callSid}: {recordingSid}"));
        Assert.Equal(1, voice.Logs.Count($"Recording sid saved for {callSid} at finalize: {recordingSid}"));
        using var callback = await voice.RecordingStatusAsync(callSid, recordingSid, "completed");
        Assert.Equal(1, voice.Logs.Count($"Recording sid saved for {callSid} from callback: {recordingSid}"));
        Assert.Single(await VoiceTestData.OutboxAsync(voice.Database));
        AssertCleanLogs(voice);
        Assert.DoesNotContain(voice.Logs.Entries, e => e.Level >= LogLevel.Warning && e.Category.StartsWith("CallPipeline.Voice", StringComparison.Ordinal));
    }

    [Fact]
    public async Task While_the_starts_claim_waits_on_the_database_pings_are_answered_and_the_frames_sent_meanwhile_are_recorded()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);
        var (callSid, token) = await AnswerAsync(voice);
        var streamSid = VoiceTestData.NewStreamSid();
        const int frames = 100;
        // The call's row locked by another transaction: the admission's claim, an update of that row, waits for it.
        await using var locker = new NpgsqlConnection(voice.Database);
        await locker.OpenAsync();
        await using var rowLock = await locker.BeginTransactionAsync();
        await using (var select = new NpgsqlCommand("SELECT 1 FROM call_logs WHERE call_sid = @sid FOR UPDATE", locker, rowLock))
        {
            select.Parameters.AddWithValue("sid", callSid);
            await select.ExecuteScalarAsync();
        }
        // A pong missing for 3 s aborts the client: the loop must go on reading while the claim waits twice as long.
        // (A 1 s timeout aborted on a loaded CI machine with the loop reading.)
        await using var twilio = await voice.ConnectMediaAsync(token, options =>
        {
            options.KeepAliveInterval = TimeSpan.FromMilliseconds(250);
            options.KeepAliveTimeout = TimeSpan.FromSeconds(3);
        });
        await twilio.SendConnectedAsync();
        await twilio.SendStartAsync(callSid, streamSid);
        await twilio.SendFramesAsync(streamSid, frames, value: 0x9E);

        await Task.Delay(TimeSpan.FromSeconds(6));
        Assert.Equal(WebSocketState.Open, twilio.Socket.State);
        Assert.Empty(twilio.ReceivedEvents("media"));

        await rowLock.RollbackAsync();
        await twilio.WaitForEventsAsync("mark", 1);
        await twilio.SendStopAsync(callSid, streamSid);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, await twilio.WaitForCloseAsync());
        await WaitForFinalizedAsync(voice, callSid);
        var wav = await VoiceTestData.StoredRecordingAsync(voice.Database, callSid);
        Assert.Equal(frames * 160, wav.SampleFrames);
        Assert.All(wav.Channel(0), sample => Assert.Equal(MuLaw.Decode(0x9E), sample));
        AssertCleanLogs(voice);
    }

    [Fact]
    public async Task A_recording_already_known_from_its_callback_is_not_started_again()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);
        var (callSid, token) = await AnswerAsync(voice);
        var recordingSid = VoiceTestData.NewRecordingSid();
        await voice.RecordingStatusAsync(callSid, recordingSid, "in-progress");

        await RunSessionAsync(voice, callSid, token, frames: 10);

        var call = await WaitForFinalizedAsync(voice, callSid);
        Assert.Empty(voice.Twilio.Requests);
        Assert.Equal(recordingSid, call.RecordingSid);
        Assert.Equal(1, voice.Logs.Count($"Recording sid saved for {callSid} at finalize: {recordingSid}"));
    }

    [Fact]
    public async Task When_twilio_refuses_the_recording_the_call_still_finalizes_with_its_local_recording()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);
        voice.Twilio.FailWith = HttpStatusCode.BadRequest;
        var (callSid, token) = await AnswerAsync(voice);

        await RunSessionAsync(voice, callSid, token, frames: 10);

        var call = await WaitForFinalizedAsync(voice, callSid);
        Assert.Null(call.RecordingSid);
        Assert.Equal(1600, (await VoiceTestData.StoredRecordingAsync(voice.Database, callSid)).SampleFrames);
        Assert.Single(voice.Logs.Lines, l => l.StartsWith($"Recording could not be started for {callSid}", StringComparison.Ordinal));
        AssertCleanLogs(voice);
    }

    [Fact]
    public async Task A_server_error_from_twilio_is_not_retried_so_a_recording_is_never_started_twice()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);
        voice.Twilio.FailWith = HttpStatusCode.ServiceUnavailable;
        var (callSid, token) = await AnswerAsync(voice);

        await RunSessionAsync(voice, callSid, token, frames: 5);

        await WaitForFinalizedAsync(voice, callSid);
        Assert.Single(voice.Twilio.Requests);
    }

    [Fact]
    public async Task A_token_issued_for_another_call_is_refused_with_a_policy_violation()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);
        var (callSid, _) = await AnswerAsync(voice);
        var (_, otherToken) = await AnswerAsync(voice);

        await using var twilio = await voice.ConnectMediaAsync(otherToken);
        await twilio.SendConnectedAsync();
        await twilio.SendStartAsync(callSid, VoiceTestData.NewStreamSid());

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await twilio.WaitForCloseAsync());
        var call = await VoiceTestData.FindCallAsync(voice.Database, callSid);
        Assert.Null(call!.MediaStreamSid);
        Assert.Null(call.StreamFinalizedAt);
        Assert.Empty(voice.Twilio.Requests);
    }

    [Fact]
    public async Task A_token_reused_after_the_call_ended_is_refused()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);
        var (callSid, token) = await AnswerAsync(voice);
        await RunSessionAsync(voice, callSid, token, frames: 5);
        var finalized = await WaitForFinalizedAsync(voice, callSid);

        await using var replay = await voice.ConnectMediaAsync(token);
        await replay.SendStartAsync(callSid, VoiceTestData.NewStreamSid());

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await replay.WaitForCloseAsync());
        var call = await VoiceTestData.FindCallAsync(voice.Database, callSid);
        Assert.Equal(finalized.StreamFinalizedAt, call!.StreamFinalizedAt);
        Assert.Equal(finalized.MediaStreamSid, call.MediaStreamSid);
        Assert.Single(voice.Twilio.Requests);
        Assert.Contains(voice.Logs.Lines, l => l.Contains("token reused", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_stream_for_an_unknown_or_rejected_call_is_refused()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);
        var tokens = voice.Services.GetRequiredService<MediaStreamTokens>();
        var unknown = VoiceTestData.NewCallSid();
        var rejected = VoiceTestData.NewCallSid();
        await voice.IncomingCallAsync(rejected, Caller, "+97235559999");

        foreach (var callSid in new[] { unknown, rejected })
        {
            await using var twilio = await voice.ConnectMediaAsync(tokens.Create(callSid));
            await twilio.SendStartAsync(callSid, VoiceTestData.NewStreamSid());
            Assert.Equal(WebSocketCloseStatus.PolicyViolation, await twilio.WaitForCloseAsync());
        }

        Assert.Null(await VoiceTestData.FindCallAsync(voice.Database, unknown));
        Assert.Null((await VoiceTestData.FindCallAsync(voice.Database, rejected))!.StreamFinalizedAt);
        Assert.Empty(voice.Twilio.Requests);
    }

    [Fact]
    public async Task Malformed_binary_unknown_and_oversized_messages_are_absorbed_and_the_call_still_finalizes()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);
        var (callSid, token) = await AnswerAsync(voice);
        var streamSid = VoiceTestData.NewStreamSid();

        await using (var twilio = await voice.ConnectMediaAsync(token))
        {
            await twilio.SendJsonAsync("{\"event\":\"media\"");
            await twilio.SendConnectedAsync();
            await twilio.SendStartAsync(callSid, streamSid);
            await twilio.SendJsonAsync("this is not json");
            await twilio.SendRawAsync([1, 2, 3, 4], WebSocketMessageType.Binary);
            await twilio.SendJsonAsync("""{"event":"transcription","streamSid":"x"}""");
            await twilio.SendJsonAsync("""{"event":"media","media":{"track":"inbound","chunk":"1","timestamp":"0","payload":"%%%not base64%%%"}}""");
            await twilio.SendFramesAsync(streamSid, 10);
            await twilio.SendJsonAsync("{\"event\":\"media\",\"media\":{\"payload\":\"" + new string('A', 70 * 1024) + "\"}}");

            Assert.Equal(WebSocketCloseStatus.MessageTooBig, await twilio.WaitForCloseAsync());
        }

        var call = await WaitForFinalizedAsync(voice, callSid);
        Assert.Equal(1600, (await VoiceTestData.StoredRecordingAsync(voice.Database, callSid)).SampleFrames);
        Assert.Equal(1, voice.Logs.Count($"Recording sid saved for {callSid} at finalize:"));
        AssertCleanLogs(voice);
    }

    [Fact]
    public async Task An_abrupt_disconnect_mid_call_finalizes_the_call_without_an_error()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);
        var (callSid, token) = await AnswerAsync(voice);
        var streamSid = VoiceTestData.NewStreamSid();

        var twilio = await voice.ConnectMediaAsync(token);
        await twilio.SendStartAsync(callSid, streamSid);
        await twilio.SendFramesAsync(streamSid, 20);
        await twilio.WaitForEventsAsync("mark", 1);
        twilio.Socket.Abort();
        await twilio.DisposeAsync();

        var call = await WaitForFinalizedAsync(voice, callSid);
        Assert.Equal(20 * 160, (await VoiceTestData.StoredRecordingAsync(voice.Database, callSid)).SampleFrames);
        Assert.Equal(1, voice.Logs.Count($"Recording sid saved for {callSid} at finalize:"));
        AssertCleanLogs(voice);
    }

    [Fact]
    public async Task Stop_and_close_at_once_finalize_once_and_close_quietly()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);
        var (callSid, token) = await AnswerAsync(voice);
        var streamSid = VoiceTestData.NewStreamSid();

        await using (var twilio = await voice.ConnectMediaAsync(token))
        {
            await twilio.SendStartAsync(callSid, streamSid);
            await twilio.SendFramesAsync(streamSid, 5);
            await Task.WhenAll(twilio.SendStopAsync(callSid, streamSid), twilio.CloseAsync());
            await twilio.WaitForCloseAsync();
        }

        await WaitForFinalizedAsync(voice, callSid);
        await Task.Delay(500);
        Assert.Equal(1, voice.Logs.Count($"Recording sid saved for {callSid} at finalize:"));
        Assert.Equal(1, voice.Logs.Count($"Call {callSid} finalized"));
        AssertCleanLogs(voice);
    }

    [Fact]
    public async Task Concurrent_finalizations_of_one_stream_write_once()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);
        var (callSid, _) = await AnswerAsync(voice);
        var streamSid = VoiceTestData.NewStreamSid();
        var recordingSid = VoiceTestData.NewRecordingSid();
        await VoiceTestData.UpdateCallAsync(voice.Database, callSid, c => c.MediaStreamSid = streamSid);
        var finalizer = voice.Services.GetRequiredService<CallFinalizer>();
        var endings = Enumerable.Range(0, 8).Select(i => new StreamFinalization(
            callSid, streamSid, DateTimeOffset.UtcNow.AddSeconds(i), 10 + i, recordingSid, $"/tmp/{i}.wav", $"transcript {i}")).ToList();

        var results = await Task.WhenAll(endings.Select(e => finalizer.FinalizeAsync(e, CancellationToken.None)));

        var winner = endings[Assert.Single(Enumerable.Range(0, 8), i => results[i])];
        var call = await VoiceTestData.FindCallAsync(voice.Database, callSid);
        Assert.Equal(winner.LocalRecordingPath, call!.LocalRecordingPath);
        Assert.Equal(winner.RealtimeTranscript, call.RealtimeTranscript);
        Assert.Equal(winner.DurationSeconds, call.DurationSeconds);
        Assert.Equal(recordingSid, call.RecordingSid);
        Assert.Equal(1, voice.Logs.Count($"Recording sid saved for {callSid} at finalize: {recordingSid}"));
        Assert.DoesNotContain(voice.Logs.Entries, e => e.Message.Contains("already finalized", StringComparison.Ordinal) && e.Level > LogLevel.Debug);
    }

    [Fact]
    public async Task Finalize_keeps_what_twilio_already_reported_and_never_moves_the_pipeline_back()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);
        var (callSid, token) = await AnswerAsync(voice);
        var streamSid = VoiceTestData.NewStreamSid();
        string recordingSid;

        await using (var twilio = await voice.ConnectMediaAsync(token))
        {
            await twilio.SendStartAsync(callSid, streamSid);
            await twilio.SendFramesAsync(streamSid, 5);
            recordingSid = (await Eventually.ReturnsAsync(() => Task.FromResult(voice.Twilio.RecordingSids.Values.ToList()), l => l.Count == 1, "the recording started")).Single();
            await voice.CallStatusAsync(callSid, "completed", sequence: 3, duration: 77);
            await voice.RecordingStatusAsync(callSid, recordingSid, "completed");
            await twilio.SendStopAsync(callSid, streamSid);
            await twilio.WaitForCloseAsync();
        }

        var call = await WaitForFinalizedAsync(voice, callSid);
        Assert.Equal(77, call.DurationSeconds);
        Assert.Equal(PipelineStatus.Recorded, call.PipelineStatus);
        Assert.Equal(recordingSid, call.RecordingSid);
    }

    [Fact]
    public async Task An_agent_plugged_into_the_seam_talks_clears_and_its_realtime_transcript_is_saved()
    {
        var conversations = new ScriptedConversationFactory();
        await using var voice = await VoiceHost.StartAsync(infrastructure, services: s => s.AddSingleton<ICallConversationFactory>(conversations));
        var (callSid, token) = await AnswerAsync(voice);
        var streamSid = VoiceTestData.NewStreamSid();

        await using (var twilio = await voice.ConnectMediaAsync(token))
        {
            await twilio.SendStartAsync(callSid, streamSid);
            await twilio.WaitForEventsAsync("mark", 1);
            await twilio.SendFramesAsync(streamSid, 4);
            await twilio.SendMarkAsync(streamSid, "hello");
            await twilio.SendDtmfAsync(streamSid, "5");
            await twilio.WaitForEventsAsync("clear", 1);
            await twilio.SendStopAsync(callSid, streamSid);
            await twilio.WaitForCloseAsync();

            Assert.Equal(3, twilio.ReceivedEvents("media").Count());
            Assert.Equal(streamSid, twilio.ReceivedEvents("clear").Single().GetProperty("streamSid").GetString());
        }

        var call = await WaitForFinalizedAsync(voice, callSid);
        Assert.Equal("agent: hello\nmark: hello\ncaller: pressed 5", call.RealtimeTranscript);
        Assert.Equal(4 * 160, Assert.Single(conversations.Created).CallerSamples);
        Assert.DoesNotContain(voice.Logs.Lines, l => l.Contains("pressed 5", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_stream_that_never_starts_is_closed_with_a_policy_violation_and_a_reason_at_the_start_timeout()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure, new Dictionary<string, string> { ["Voice:StartTimeout"] = "00:00:01" });
        var (_, token) = await AnswerAsync(voice);

        await using var twilio = await voice.ConnectMediaAsync(token);
        await twilio.SendConnectedAsync();

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await twilio.WaitForCloseAsync(TimeSpan.FromSeconds(20)));
        Assert.Contains("no start message", twilio.Socket.CloseStatusDescription, StringComparison.Ordinal);
        try
        {
            await Eventually.ReturnsAsync(() => Task.FromResult(voice.Logs.Count("Media stream closed: no start message")), n => n == 1, "the timeout is logged", TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            Assert.Fail("No start-timeout line; the gateway logged: " + string.Join(" | ", voice.Logs.Entries
                .Where(e => e.Category.StartsWith("CallPipeline", StringComparison.Ordinal))
                .Select(e => $"{e.Level} {e.Message} {e.Exception?.GetType().Name}")));
        }
        AssertCleanLogs(voice);
    }

    [Fact]
    public async Task With_signature_enforcement_an_unsigned_upgrade_is_refused_and_a_signed_one_accepted()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure, new Dictionary<string, string> { ["Voice:ValidateMediaStreamSignature"] = "true" });
        var (callSid, token) = await AnswerAsync(voice);
        var url = $"ws{voice.BaseUrl["http".Length..]}/twilio/media/{token}";

        await Assert.ThrowsAsync<WebSocketException>(() => voice.ConnectMediaAsync(token));
        await Assert.ThrowsAsync<WebSocketException>(() => voice.ConnectMediaAsync(token, o => o.SetRequestHeader(TwilioSignature.HeaderName, "bm90IGEgc2lnbmF0dXJl")));
        await using var twilio = await voice.ConnectMediaAsync(token, o => o.SetRequestHeader(TwilioSignature.HeaderName, TwilioSignature.Compute(VoiceTestData.AuthToken, url, [])));
        await twilio.SendStartAsync(callSid, VoiceTestData.NewStreamSid());
        await twilio.WaitForEventsAsync("mark", 1);
    }

    private static async Task<(string CallSid, string Token)> AnswerAsync(VoiceHost voice)
    {
        await using (var db = VoiceTestData.OpenDb(voice.Database))
        {
            if (!db.Businesses.Any())
            {
                await VoiceTestData.AddBusinessAsync(voice.Database, BusinessNumber);
            }
        }
        var callSid = VoiceTestData.NewCallSid();
        return (callSid, VoiceHost.StreamToken(await voice.IncomingCallAsync(callSid, Caller, BusinessNumber)));
    }

    private static async Task RunSessionAsync(VoiceHost voice, string callSid, string token, int frames)
    {
        var streamSid = VoiceTestData.NewStreamSid();
        await using var twilio = await voice.ConnectMediaAsync(token);
        await twilio.SendConnectedAsync();
        await twilio.SendStartAsync(callSid, streamSid);
        await twilio.SendFramesAsync(streamSid, frames);
        await twilio.SendStopAsync(callSid, streamSid);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, await twilio.WaitForCloseAsync());
    }

    private static Task<CallLog> WaitForFinalizedAsync(VoiceHost voice, string callSid) =>
        Eventually.ReturnsAsync(async () => (await VoiceTestData.FindCallAsync(voice.Database, callSid))!, c => c.StreamFinalizedAt is not null && voice.Logs.Count($"Call {callSid} finalized") > 0, $"{callSid} is finalized", TimeSpan.FromSeconds(30));

    /// <summary>Nothing at error level, and nothing the original system logged when a socket closed twice.</summary>
    private static void AssertCleanLogs(VoiceHost voice)
    {
        Assert.Empty(voice.Logs.Errors);
        Assert.DoesNotContain(voice.Logs.Entries, e => e.Level >= LogLevel.Information && e.Message.Contains("already closed", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(voice.Logs.Lines, l => l.Contains("Unhandled exception", StringComparison.Ordinal));
    }
}
