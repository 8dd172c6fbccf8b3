extern alias voice;

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CallPipeline.Data.Entities;
using CallPipeline.Tests.DevDoubles.Twilio.Support;
using CallPipeline.Tests.Infrastructure;
using CallPipeline.Tests.Voice.Support;
using CallPipeline.Tests.Webhooks.Support;
using CallPipeline.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RetentionSweep = voice::CallPipeline.Voice.Retention.RetentionSweep;
using SweepResult = voice::CallPipeline.Voice.Retention.SweepResult;

namespace CallPipeline.Tests.Voice;

/// <summary>
/// The retention sweep and <c>DELETE /api/calls/{callSid}/data</c>: recordings deleted at the Twilio double and here,
/// text and webhook payloads cleared, what and when recorded on the call, metadata kept; idempotent, resumed after a
/// crash, Twilio's 404 taken as deleted.
/// </summary>
[Trait("Category", "Infrastructure")]
public sealed class RetentionTests(InfrastructureFixture infrastructure) : IClassFixture<InfrastructureFixture>
{
    [Fact]
    public async Task The_sweep_deletes_recordings_past_their_retention_at_twilio_and_here_and_clears_text_past_its_own()
    {
        await using var graph = await SimulatedGraph.StartAsync(infrastructure, speed: 1);
        var old = await RecordingPlaybackTests.RecordedCallAsync(graph);
        var recent = await PlaceAnotherCallAsync(graph);
        using (var patch = await graph.Voice.Operator.PatchAsync(
            $"/api/businesses/{old.BusinessId}", new StringContent("""{"recordingRetentionDays":7,"transcriptRetentionDays":30,"genericWebhookUrl":"https://hooks.example.com/calls"}""", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        }
        await MakeProcessedAsync(graph.Voice.Database, old.CallSid, DateTimeOffset.UtcNow.AddDays(-8));
        await MakeProcessedAsync(graph.Voice.Database, recent.CallSid, DateTimeOffset.UtcNow.AddDays(-1));
        var ancient = WebhookTestData.NewProcessedCall(old.BusinessId!.Value);
        ancient.StartedAt = DateTimeOffset.UtcNow.AddDays(-40);
        ancient.RecordingSid = null;
        await WebhookTestData.AddCallWithDeliveryAsync(graph.Voice.Database, ancient);
        var sweep = graph.Voice.Services.GetRequiredService<RetentionSweep>();

        var first = await sweep.SweepAsync(CancellationToken.None);
        var second = await sweep.SweepAsync(CancellationToken.None);

        Assert.Equal(new SweepResult(1, 0, 1), first);
        Assert.Equal(new SweepResult(0, 0, 0), second);
        var erased = (await VoiceTestData.FindCallAsync(graph.Voice.Database, old.CallSid))!;
        Assert.Equal(Erasure.Retention, erased.RecordingErasedBy);
        Assert.NotNull(erased.RecordingErasedAt);
        Assert.Equal(old.RecordingSid, erased.RecordingSid);
        Assert.Null(erased.LocalRecordingPath);
        Assert.False(File.Exists(old.LocalRecordingPath));
        Assert.Equal(HttpStatusCode.NotFound, await TwilioResourceStatusAsync(graph, old.RecordingSid!));
        Assert.NotNull(erased.FinalTranscript);
        Assert.Null(erased.TextErasedAt);
        using (var play = await RecordingPlaybackTests.PlayAsync(graph.Voice, old.CallSid))
        {
            Assert.Equal(HttpStatusCode.NotFound, play.StatusCode);
            Assert.Contains("erased", await play.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var kept = (await VoiceTestData.FindCallAsync(graph.Voice.Database, recent.CallSid))!;
        Assert.Null(kept.RecordingErasedAt);
        Assert.Equal(HttpStatusCode.OK, await TwilioResourceStatusAsync(graph, recent.RecordingSid!));

        var cleared = (await VoiceTestData.FindCallAsync(graph.Voice.Database, ancient.CallSid))!;
        Assert.Equal(Erasure.Retention, cleared.TextErasedBy);
        Assert.Null(cleared.FinalTranscript);
        Assert.Null(cleared.Summary);
        Assert.Null(cleared.CustomerName);
        Assert.Equal(ancient.FromNumber, cleared.FromNumber);
        var payload = Assert.Single(cleared.WebhookDeliveries).Payload;
        Assert.Equal(Erasure.ErasedPayload, payload);
    }

    [Fact]
    public async Task A_sweep_after_a_crash_between_deleting_at_twilio_and_marking_the_call_finishes_it_taking_twilios_404_as_deleted()
    {
        await using var graph = await SimulatedGraph.StartAsync(infrastructure, speed: 1);
        var call = await RecordingPlaybackTests.RecordedCallAsync(graph);
        await MakeProcessedAsync(graph.Voice.Database, call.CallSid, DateTimeOffset.UtcNow.AddDays(-10));
        // The first sweep deleted the recording at Twilio and died before marking the call.
        using (var client = new HttpClient())
        {
            client.DefaultRequestHeaders.Authorization = TwilioDoubleServer.BasicAuth(VoiceTestData.AccountSid, VoiceTestData.AuthToken);
            using var deleted = await client.DeleteAsync($"{graph.DoublesUrl}/2010-04-01/Accounts/{VoiceTestData.AccountSid}/Recordings/{call.RecordingSid}.json");
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        var result = await graph.Voice.Services.GetRequiredService<RetentionSweep>().SweepAsync(CancellationToken.None);

        Assert.Equal(new SweepResult(1, 0, 0), result);
        var erased = (await VoiceTestData.FindCallAsync(graph.Voice.Database, call.CallSid))!;
        Assert.NotNull(erased.RecordingErasedAt);
        Assert.False(File.Exists(call.LocalRecordingPath));
        Assert.Equal(1, graph.Voice.Logs.Count($"Recording of {call.CallSid} erased (retention): at Twilio already gone"));
    }

    [Fact]
    public async Task Erasing_a_call_clears_its_recording_and_text_at_once_keeps_its_metadata_and_asking_again_changes_nothing()
    {
        await using var graph = await SimulatedGraph.StartAsync(infrastructure, speed: 1);
        var call = await RecordingPlaybackTests.RecordedCallAsync(graph);
        using (var busy = await graph.Voice.Operator.DeleteAsync($"/api/calls/{call.CallSid}/data"))
        {
            Assert.Equal(HttpStatusCode.Conflict, busy.StatusCode);
        }
        await MakeProcessedAsync(graph.Voice.Database, call.CallSid, DateTimeOffset.UtcNow.AddMinutes(-5));
        await using (var db = VoiceTestData.OpenDb(graph.Voice.Database))
        {
            var saved = await db.CallLogs.Include(c => c.Business).SingleAsync(c => c.CallSid == call.CallSid);
            saved.Business!.GenericWebhookUrl = "https://hooks.example.com/calls";
            await CallWebhooks.AddDeliveryAsync(db, saved, CallWebhooks.CallCompleted, CancellationToken.None);
            await db.SaveChangesAsync();
        }

        using var erase = await graph.Voice.Operator.DeleteAsync($"/api/calls/{call.CallSid}/data");
        var first = await erase.Content.ReadFromJsonAsync<JsonElement>();
        using var again = await graph.Voice.Operator.DeleteAsync($"/api/calls/{call.CallSid}/data");
        var second = await again.Content.ReadFromJsonAsync<JsonElement>();
        var record = await graph.Voice.Operator.GetFromJsonAsync<JsonElement>($"/api/calls/{call.CallSid}");
        using var play = await RecordingPlaybackTests.PlayAsync(graph.Voice, call.CallSid);
        using var reprocess = await graph.Voice.Operator.PostAsync($"/api/calls/{call.CallSid}/reprocess", null);
        using var unknown = await graph.Voice.Operator.DeleteAsync("/api/calls/CA00000000000000000000000000000000/data");

        Assert.Equal(HttpStatusCode.OK, erase.StatusCode);
        Assert.Equal(Erasure.Request, first.GetProperty("recordingErasedBy").GetString());
        Assert.Equal(Erasure.Request, first.GetProperty("textErasedBy").GetString());
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(first.GetProperty("recordingErasedAt").GetDateTimeOffset(), second.GetProperty("recordingErasedAt").GetDateTimeOffset());
        Assert.Equal(first.GetProperty("textErasedAt").GetDateTimeOffset(), second.GetProperty("textErasedAt").GetDateTimeOffset());
        Assert.Equal(HttpStatusCode.NotFound, await TwilioResourceStatusAsync(graph, call.RecordingSid!));
        Assert.False(File.Exists(call.LocalRecordingPath));

        Assert.Equal(call.RecordingSid, record.GetProperty("recording").GetProperty("recordingSid").GetString());
        Assert.Equal(call.FromNumber, record.GetProperty("from").GetString());
        Assert.Equal("processed", record.GetProperty("pipelineStatus").GetString());
        Assert.Equal(JsonValueKind.Null, record.GetProperty("transcript").GetProperty("final").ValueKind);
        Assert.Equal(JsonValueKind.Null, record.GetProperty("transcript").GetProperty("turns").ValueKind);
        Assert.Equal(JsonValueKind.Null, record.GetProperty("summary").ValueKind);
        Assert.Equal(JsonValueKind.Null, record.GetProperty("extraction").GetProperty("customerName").ValueKind);
        Assert.Equal(JsonValueKind.Null, record.GetProperty("recording").GetProperty("localRecordingPath").ValueKind);
        Assert.Equal("request", record.GetProperty("erasure").GetProperty("recordingErasedBy").GetString());
        var webhook = Assert.Single(record.GetProperty("webhooks").EnumerateArray());
        Assert.Equal("disabled", webhook.GetProperty("status").GetString());
        var stored = Assert.Single((await VoiceTestData.FindCallAsync(graph.Voice.Database, call.CallSid))!.WebhookDeliveries);
        Assert.Equal(Erasure.ErasedPayload, stored.Payload);

        Assert.Equal(HttpStatusCode.NotFound, play.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, reprocess.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.DoesNotContain(graph.Voice.Logs.Lines, l => l.Contains("אינסטלטור", StringComparison.Ordinal));
    }

    [Fact]
    public async Task When_twilio_fails_to_delete_the_text_is_erased_at_once_and_the_sweep_deletes_the_recording_later()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);
        var business = await VoiceTestData.AddBusinessAsync(voice.Database, "+97235550100");
        var call = WebhookTestData.NewProcessedCall(business.Id);
        await WebhookTestData.AddCallWithDeliveryAsync(voice.Database, call);
        voice.Twilio.FailWith = HttpStatusCode.InternalServerError;

        using var erase = await voice.Operator.DeleteAsync($"/api/calls/{call.CallSid}/data");
        var pending = await erase.Content.ReadFromJsonAsync<JsonElement>();
        voice.Twilio.FailWith = null;
        var swept = await voice.Services.GetRequiredService<RetentionSweep>().SweepAsync(CancellationToken.None);
        var after = (await VoiceTestData.FindCallAsync(voice.Database, call.CallSid))!;

        Assert.Equal(HttpStatusCode.Accepted, erase.StatusCode);
        Assert.True(pending.GetProperty("recordingErasurePending").GetBoolean());
        Assert.Equal(JsonValueKind.Null, pending.GetProperty("recordingErasedAt").ValueKind);
        Assert.Equal(Erasure.Request, pending.GetProperty("textErasedBy").GetString());
        Assert.Equal(new SweepResult(1, 0, 0), swept);
        Assert.Equal(Erasure.Request, after.RecordingErasedBy);
        Assert.Contains(voice.Twilio.Requests, r => r.Method == "DELETE" && r.Path.EndsWith($"/Recordings/{call.RecordingSid}.json", StringComparison.Ordinal));
    }

    /// <summary>A second simulated call to the same business, recorded.</summary>
    private static async Task<CallLog> PlaceAnotherCallAsync(SimulatedGraph graph)
    {
        var callSid = await graph.PlaceCallAsync(new { from = "+972545551234", to = "+97235550100", direction = "inbound", text = "שלום" });
        return await graph.WaitForCallAsync(callSid, c => c.RecordingStatus == "completed" && c.RecordingUrl is not null);
    }

    /// <summary>The call as the worker leaves it, started at <paramref name="startedAt"/>.</summary>
    private static async Task MakeProcessedAsync(string database, string callSid, DateTimeOffset startedAt)
    {
        await using var db = VoiceTestData.OpenDb(database);
        await db.CallLogs.Where(c => c.CallSid == callSid).ExecuteUpdateAsync(set => set
            .SetProperty(c => c.PipelineStatus, PipelineStatus.Processed)
            .SetProperty(c => c.StartedAt, startedAt)
            .SetProperty(c => c.FinalTranscript, "שלום, אני צריך אינסטלטור בתל אביב.")
            .SetProperty(c => c.TranscriptSource, TranscriptSource.Recording)
            .SetProperty(c => c.TranscriptTurns, new List<TranscriptTurn> { new(SpeakerRole.Caller, 0.5, 2.5, "שלום, אני צריך אינסטלטור בתל אביב.") })
            .SetProperty(c => c.Summary, "Needs a plumber in Tel Aviv.")
            .SetProperty(c => c.ExtractedCity, "תל אביב")
            .SetProperty(c => c.CustomerName, "Dana"));
    }

    private static async Task<HttpStatusCode> TwilioResourceStatusAsync(SimulatedGraph graph, string recordingSid)
    {
        using var client = new HttpClient();
        client.DefaultRequestHeaders.Authorization = TwilioDoubleServer.BasicAuth(VoiceTestData.AccountSid, VoiceTestData.AuthToken);
        using var response = await client.GetAsync($"{graph.DoublesUrl}/2010-04-01/Accounts/{VoiceTestData.AccountSid}/Recordings/{recordingSid}.json");
        return response.StatusCode;
    }
}
