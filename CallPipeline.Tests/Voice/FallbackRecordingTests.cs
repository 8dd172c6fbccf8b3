using System.Net;
using System.Net.Http.Headers;
using CallPipeline.Data.Entities;
using CallPipeline.Data.StoredRecordings;
using CallPipeline.Tests.DevDoubles.Twilio.Support;
using CallPipeline.Tests.Infrastructure;
using CallPipeline.Tests.Voice.Support;
using CallPipeline.Tests.Worker.Support;
using Microsoft.EntityFrameworkCore;

namespace CallPipeline.Tests.Voice;

/// <summary>
/// The gateway's own recording of the media stream kept in Postgres: stored when the stream ends and its temporary file
/// removed, processed by a worker that cannot see the gateway's folder when Twilio's recording is missing (as two
/// Container Apps replicas with no disk in common), removed once the call is processed from Twilio's recording, or at
/// erasure; played with byte ranges.
/// </summary>
[Trait("Category", "Infrastructure")]
public sealed class FallbackRecordingTests(InfrastructureFixture infrastructure) : IClassFixture<InfrastructureFixture>
{
    [Fact]
    public async Task Without_twilios_recording_a_worker_that_cannot_see_the_gateways_folder_processes_the_stored_copy_which_is_kept_and_plays()
    {
        await using var graph = await SimulatedGraph.StartAsync(infrastructure, speed: 1);
        var call = await RecordingPlaybackTests.RecordedCallAsync(graph);
        var stored = await VoiceTestData.StoredRecordingAsync(graph.Voice.Database, call.CallSid);
        var afterStore = (await VoiceTestData.FindCallAsync(graph.Voice.Database, call.CallSid))!;
        // Twilio lost the recording, and the gateway's folder is on another machine.
        await DeleteAtTwilioAsync(graph, call.RecordingSid!);
        Directory.Delete(graph.Voice.RecordingsPath, recursive: true);
        var workerTemp = Directory.CreateTempSubdirectory("fallback-worker").FullName;

        await using var worker = WorkerHost.Start(WorkerSettings(graph, "worker-fallback", workerTemp), "worker-fallback");
        var processed = await graph.WaitForCallAsync(call.CallSid, c => c.PipelineStatus is PipelineStatus.Processed or PipelineStatus.Failed);
        using var range = new HttpRequestMessage(HttpMethod.Get, $"/api/calls/{call.CallSid}/recording");
        range.Headers.Range = new RangeHeaderValue(0, 43);
        using var header = await graph.Voice.Operator.SendAsync(range);

        Assert.Null(afterStore.LocalRecordingPath);
        Assert.False(File.Exists(call.LocalRecordingPath));
        Assert.Equal(2, stored.Channels);
        Assert.True(stored.SampleFrames > 8000);
        Assert.True(processed.PipelineStatus == PipelineStatus.Processed, processed.ErrorReason + "\n" + string.Join("\n", worker.Logs.Lines.TakeLast(20)));
        Assert.Equal(TranscriptSource.Recording, processed.TranscriptSource);
        Assert.False(string.IsNullOrWhiteSpace(processed.FinalTranscript));
        Assert.Single(worker.Logs.Lines, l => l.StartsWith($"Stored recording used for {call.CallSid}", StringComparison.Ordinal));
        Assert.Equal(afterStore.StoredRecordingBytes, processed.StoredRecordingBytes);
        Assert.Equal(HttpStatusCode.PartialContent, header.StatusCode);
        Assert.Equal("audio/wav", header.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"bytes 0-43/{processed.StoredRecordingBytes}", header.Content.Headers.ContentRange?.ToString());
        Assert.Equal("RIFF"u8.ToArray(), (await header.Content.ReadAsByteArrayAsync())[..4]);
    }

    [Fact]
    public async Task Processed_from_twilios_recording_the_stored_copy_is_removed_and_erasure_removes_one_that_was_kept()
    {
        await using var graph = await SimulatedGraph.StartAsync(infrastructure, speed: 1);
        var fromTwilio = await RecordingPlaybackTests.RecordedCallAsync(graph);
        await VoiceTestData.StoredRecordingAsync(graph.Voice.Database, fromTwilio.CallSid);
        var workerTemp = Directory.CreateTempSubdirectory("fallback-worker").FullName;
        await using var worker = WorkerHost.Start(WorkerSettings(graph, "worker-twilio", workerTemp), "worker-twilio");

        var processed = await graph.WaitForCallAsync(fromTwilio.CallSid, c => c.PipelineStatus == PipelineStatus.Processed);
        var (keptCall, keptBytes) = await KeptCopyAsync(graph.Voice.Database, fromTwilio.BusinessId!.Value);
        using var acrossChunks = new HttpRequestMessage(HttpMethod.Get, $"/api/calls/{keptCall}/recording");
        acrossChunks.Headers.Range = new RangeHeaderValue(StoredRecording.ChunkBytes - 10, StoredRecording.ChunkBytes + 9);
        using var boundary = await graph.Voice.Operator.SendAsync(acrossChunks);
        using var whole = await graph.Voice.Operator.GetAsync($"/api/calls/{keptCall}/recording");
        using var erase = await graph.Voice.Operator.DeleteAsync($"/api/calls/{keptCall}/data");

        Assert.Null(processed.StoredRecordingBytes);
        Assert.Equal(0, await ChunkCountAsync(graph.Voice.Database, fromTwilio.CallSid));
        Assert.Equal(HttpStatusCode.PartialContent, boundary.StatusCode);
        Assert.Equal(keptBytes[(StoredRecording.ChunkBytes - 10)..(StoredRecording.ChunkBytes + 10)], await boundary.Content.ReadAsByteArrayAsync());
        Assert.Equal(keptBytes, await whole.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.OK, erase.StatusCode);
        Assert.Null((await VoiceTestData.FindCallAsync(graph.Voice.Database, keptCall))!.StoredRecordingBytes);
        Assert.Equal(0, await ChunkCountAsync(graph.Voice.Database, keptCall));
    }

    /// <summary>
    /// A processed call whose only recording is the gateway's copy, stored as the gateway stores it, over two chunks;
    /// returns its CallSid and the recording's bytes.
    /// </summary>
    private static async Task<(string CallSid, byte[] Bytes)> KeptCopyAsync(string database, int businessId)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("kept-copy").FullName, "call.wav");
        var bytes = await AudioSamples.ToneWavAsync(seconds: 40, channels: 2);
        await File.WriteAllBytesAsync(path, bytes);
        var callSid = VoiceTestData.NewCallSid();
        await using var db = VoiceTestData.OpenDb(database);
        var call = new CallLog { CallSid = callSid, BusinessId = businessId, PipelineStatus = PipelineStatus.Processed, StartedAt = DateTimeOffset.UtcNow, LocalRecordingPath = path };
        db.CallLogs.Add(call);
        await db.SaveChangesAsync();
        Assert.Equal(bytes.Length, StoredRecording.Save(db, call.Id, path));
        Assert.InRange(bytes.Length, StoredRecording.ChunkBytes + 20, 2 * StoredRecording.ChunkBytes);
        return (callSid, bytes);
    }

    private static async Task<int> ChunkCountAsync(string database, string callSid)
    {
        await using var db = VoiceTestData.OpenDb(database);
        var id = await db.CallLogs.Where(c => c.CallSid == callSid).Select(c => c.Id).SingleAsync();
        return await db.RecordingChunks.CountAsync(c => c.CallLogId == id);
    }

    private static async Task DeleteAtTwilioAsync(SimulatedGraph graph, string recordingSid)
    {
        using var client = new HttpClient();
        client.DefaultRequestHeaders.Authorization = TwilioDoubleServer.BasicAuth(VoiceTestData.AccountSid, VoiceTestData.AuthToken);
        using var deleted = await client.DeleteAsync($"{graph.DoublesUrl}/2010-04-01/Accounts/{VoiceTestData.AccountSid}/Recordings/{recordingSid}.json");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
    }

    /// <summary>A worker on the graph with its own temporary folder, giving up quickly on a recording Twilio does not have.</summary>
    private Dictionary<string, string> WorkerSettings(SimulatedGraph graph, string consumer, string temp)
    {
        var settings = graph.WorkerSettings(infrastructure, consumer);
        settings["Worker:TempDirectory"] = temp;
        settings["Worker:DownloadFirstRetryDelay"] = "00:00:00.100";
        settings["Worker:DownloadRetryBudget"] = "00:00:01";
        return settings;
    }
}
