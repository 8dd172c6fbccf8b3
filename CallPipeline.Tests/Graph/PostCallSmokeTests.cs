using System.Text.Json.Nodes;
using Aspire.Hosting.Testing;
using CallPipeline.AppHost.Demo;
using CallPipeline.Webhooks;
using Npgsql;

namespace CallPipeline.Tests.Graph;

/// <summary>
/// The post-call smoke checklist, held on the whole graph with real processes: the Twilio double places calls that the
/// voice gateway answers, the worker processes with ffmpeg and the OpenAI double, and the receiver verifies the webhooks.
/// </summary>
[Collection(GraphCollection.Name)]
[Trait("Category", "Graph")]
public sealed class PostCallSmokeTests(GraphFixture graph)
{
    private readonly PostCallGraph _calls = new(graph.App, graph.Logs);

    [Fact]
    public async Task An_inbound_call_is_recorded_transcribed_turn_by_turn_extracted_and_delivered_with_every_step_logged()
    {
        var callSid = await _calls.PlaceConversationAsync(PostCallGraph.CallerNumber, PostCallGraph.DemoBusinessNumber, DemoCall.Script);

        var call = await _calls.WaitForCallAsync(callSid, IsProcessedAndDelivered, "is processed and its webhook delivered");

        var recordingSid = call["recording"]!["recordingSid"]!.GetValue<string>();
        Assert.Matches("^RE[0-9a-f]{32}$", recordingSid);
        Assert.False(string.IsNullOrEmpty(call["recording"]!["url"]?.GetValue<string>()));
        Assert.NotEmpty(call["transcript"]!["final"]!.GetValue<string>());
        Assert.Equal("recording", call["transcript"]!["source"]!.GetValue<string>());
        // The caller's city (Ramat Gan), not the one the line named in its greeting (Tel Aviv).
        Assert.Equal("רמת גן", call["extraction"]!["city"]?.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(call["extraction"]!["service"]?.GetValue<string>()));
        Assert.Equal("processed", call["pipelineStatus"]!.GetValue<string>());
        await AssertTurnsFollowTheScriptAsync(callSid, call);

        var webhook = Assert.Single(await _calls.WaitForWebhooksAsync("demo-inbound", callSid));
        Assert.Equal(CallWebhooks.CallCompleted, webhook["event_type"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(webhook["transcript"]?.GetValue<string>()));
        Assert.False(string.IsNullOrEmpty(webhook["summary"]?.GetValue<string>()));
        Assert.False(string.IsNullOrEmpty(webhook["city"]?.GetValue<string>()));
        Assert.False(string.IsNullOrEmpty(webhook["service"]?.GetValue<string>()));
        Assert.Equal(DemoCall.Script.Length, webhook["transcript_turns"]!.AsArray().Count);
        Assert.False(string.IsNullOrEmpty(webhook["speaker_transcript"]?.GetValue<string>()));

        // A two-channel recording is transcribed turn by turn: one upload per speech span of each channel.
        var transcriptions = (await _calls.OpenAiRequestsAsync()).Where(r =>
            r["endpoint"]?.GetValue<string>() == "audio/transcriptions" && r["recordingSid"]?.GetValue<string>() == recordingSid && r["status"]?.GetValue<int>() == 200).ToList();
        Assert.NotEmpty(transcriptions);
        Assert.All(transcriptions, transcription =>
        {
            Assert.Equal("gpt-4o-transcribe", transcription["model"]!.GetValue<string>());
            Assert.Equal("json", transcription["responseFormat"]!.GetValue<string>());
            Assert.Equal("he", transcription["language"]!.GetValue<string>());
            Assert.Equal(16000, transcription["sampleRate"]!.GetValue<int>());
            Assert.Equal(1, transcription["channels"]!.GetValue<int>());
        });

        var voice = await _calls.WaitForLogLinesAsync("voice", $"Recording sid saved for {callSid} from callback");
        var worker = await _calls.WaitForLogLinesAsync("worker", $"Final transcript saved for {callSid}");
        AssertLogged(voice, $"Recording started for {callSid}: {recordingSid}");
        AssertLogged(voice, $"Recording sid saved for {callSid} at finalize: {recordingSid}");
        AssertLogged(voice, $"Recording sid saved for {callSid} from callback: {recordingSid}");
        // Twilio's two-channel recording itself, from the address the double's RecordingUrl names, not the gateway's copy.
        AssertLoggedOnce(worker, $"Recording fetched for {callSid}");
        Assert.DoesNotContain(worker, line => line.Contains($"Local recording used for {callSid}", StringComparison.Ordinal));
        AssertLoggedOnce(worker, $"Audio converted to WAV 16 kHz mono for {callSid}");
        AssertLoggedOnce(worker, $"Transcript obtained for {callSid}");
        AssertLoggedOnce(worker, $"Final transcript saved for {callSid}");
        AssertLoggedOnce(worker, $"Extracted for {callSid}: service");
        AssertLoggedOnce(worker, $"Webhook queued for call {callSid}");
        Assert.Empty(_calls.BadLogLines());
        Assert.Equal(1, await CountScalarAsync(
            "SELECT count(*) FROM outbox_messages WHERE topic = 'recording-jobs' AND message_key = @key AND published_at IS NOT NULL", recordingSid));
    }

    [Fact]
    public async Task An_outbound_call_placed_through_the_operator_api_reaches_the_outbound_url()
    {
        var callSid = await _calls.PlaceOutboundCallThroughTwilioAsync(PostCallGraph.DemoBusinessNumber, PostCallGraph.CallerNumber);

        var call = await _calls.WaitForCallAsync(callSid, IsProcessedAndDelivered, "is processed and its webhook delivered");

        Assert.Equal("outbound", call["direction"]!.GetValue<string>());
        var webhook = Assert.Single(await _calls.WaitForWebhooksAsync("demo-outbound", callSid));
        Assert.Equal("outbound", webhook["direction"]!.GetValue<string>());
        Assert.Empty(await _calls.ReceivedWebhooksAsync("demo-inbound", callSid));
    }

    [Fact]
    public async Task A_call_to_an_unknown_number_is_rejected_and_creates_no_webhook_for_any_business()
    {
        var callSid = await _calls.PlaceCallAsync(PostCallGraph.CallerNumber, "+97235550999");

        var call = await _calls.WaitForCallAsync(callSid, c => c["pipelineStatus"]?.GetValue<string>() == "rejected", "is rejected");

        Assert.Null(call["businessId"]?.GetValue<int?>());
        // The gateway may still be writing; a delivery would have been created with the call's row, so a short wait suffices.
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(0, await CountDeliveriesAsync(callSid));
    }

    [Fact]
    public async Task A_missed_call_produces_call_missed()
    {
        var callSid = await _calls.PlaceCallAsync(PostCallGraph.CallerNumber, PostCallGraph.DemoBusinessNumber, text: null, outcome: "no-answer");

        var webhook = Assert.Single(await _calls.WaitForWebhooksAsync("demo-inbound", callSid));

        Assert.Equal(CallWebhooks.CallMissed, webhook["event_type"]!.GetValue<string>());
        var call = await _calls.GetCallAsync(callSid);
        Assert.Equal("missed", call?["pipelineStatus"]?.GetValue<string>());
    }

    [Fact]
    public async Task Ten_calls_placed_at_once_are_all_processed()
    {
        var callSids = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            _calls.PlaceCallAsync($"+97254123{i:0000}", PostCallGraph.DemoBusinessNumber)));

        var calls = await Task.WhenAll(callSids.Select(sid => _calls.WaitForCallAsync(sid, IsProcessedAndDelivered, "is processed and its webhook delivered")));

        Assert.All(calls, call => Assert.NotEmpty(call["transcript"]!["final"]!.GetValue<string>()));
        Assert.Equal(10, calls.Select(c => c["recording"]!["recordingSid"]!.GetValue<string>()).Distinct().Count());
        Assert.Empty(_calls.BadLogLines());
    }

    /// <summary>
    /// The demo script's lines come back as turns in its order, each with its speaker's role, starting within 0.5 s of
    /// where the script placed it in the recording (its call time less the time the recording began).
    /// </summary>
    private async Task AssertTurnsFollowTheScriptAsync(string callSid, JsonObject call)
    {
        var recordingStartsAt = await _calls.RecordingStartsAtAsync(callSid);
        var turns = call["transcript"]!["turns"]!.AsArray();
        Assert.Equal(DemoCall.Script.Select(line => line.Speaker), turns.Select(turn => turn!["role"]!.GetValue<string>()));
        Assert.All(DemoCall.Script.Zip(turns), pair =>
        {
            var (line, turn) = pair;
            Assert.Equal(line.Text, turn!["text"]!.GetValue<string>());
            Assert.InRange(turn["start"]!.GetValue<double>(), line.At - recordingStartsAt - 0.5, line.At - recordingStartsAt + 0.5);
        });
    }

    private static bool IsProcessedAndDelivered(JsonObject call) =>
        call["pipelineStatus"]?.GetValue<string>() == "processed"
        && (call["webhooks"]?.AsArray().Any(w => w?["status"]?.GetValue<string>() == "delivered") ?? false);

    private static void AssertLogged(IReadOnlyList<string> lines, string expected) =>
        Assert.True(lines.Any(l => l.Contains(expected, StringComparison.Ordinal)), $"No log line contains \"{expected}\".");

    private static void AssertLoggedOnce(IReadOnlyList<string> lines, string expected) =>
        Assert.True(lines.Count(l => l.Contains(expected, StringComparison.Ordinal)) == 1, $"Not exactly one log line contains \"{expected}\".");

    private Task<long> CountDeliveriesAsync(string callSid) => CountScalarAsync(
        "SELECT count(*) FROM webhook_deliveries d JOIN call_logs c ON c.id = d.call_log_id WHERE c.call_sid = @key", callSid);

    private async Task<long> CountScalarAsync(string sql, string key)
    {
        var connectionString = await graph.App.GetConnectionStringAsync("callsdb") ?? throw new InvalidOperationException("callsdb has no connection string.");
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("key", key);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
