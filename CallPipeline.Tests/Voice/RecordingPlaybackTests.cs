using System.Net;
using System.Net.Http.Headers;
using System.Text;
using CallPipeline.Data.Entities;
using CallPipeline.Tests.DevDoubles.Twilio.Support;
using CallPipeline.Tests.Infrastructure;
using CallPipeline.Tests.Voice.Support;
using CallPipeline.Tests.Worker.Support;
using Microsoft.EntityFrameworkCore;

namespace CallPipeline.Tests.Voice;

/// <summary>
/// <c>GET /api/calls/{callSid}/recording</c> against the Twilio double: whole and by byte range, the real content type,
/// and each way the original system's playback broke (original-system.md): 502s from downloading in the request and no
/// Range/206, a job queued per play click, 404s from a copy on another container's disk, a stored <c>.json</c> or relative
/// URL, the parent/child SID mismatch, WAV bytes served as audio/mpeg.
/// </summary>
[Trait("Category", "Infrastructure")]
public sealed class RecordingPlaybackTests(InfrastructureFixture infrastructure) : IClassFixture<InfrastructureFixture>
{
    private const string BusinessNumber = "+97235550100";

    [Fact]
    public async Task A_twilio_recording_plays_whole_and_by_byte_range_as_wav_or_mp3_and_a_play_queues_no_job()
    {
        await using var graph = await SimulatedGraph.StartAsync(infrastructure, speed: 1);
        var call = await RecordedCallAsync(graph);
        var atTwilio = await TwilioMediaAsync(graph, call.RecordingSid!, ".wav");
        var outboxBefore = (await VoiceTestData.OutboxAsync(graph.Voice.Database)).Count;

        using var whole = await PlayAsync(graph.Voice, call.CallSid);
        var wholeBytes = await whole.Content.ReadAsByteArrayAsync();
        using var middle = await PlayAsync(graph.Voice, call.CallSid, new RangeHeaderValue(100, 1099));
        using var tail = await PlayAsync(graph.Voice, call.CallSid, new RangeHeaderValue(null, 10));
        using var pastTheEnd = await PlayAsync(graph.Voice, call.CallSid, new RangeHeaderValue(atTwilio.Length + 10, null));
        using var mp3 = await PlayAsync(graph.Voice, call.CallSid, query: "?format=mp3");
        var mp3Bytes = await mp3.Content.ReadAsByteArrayAsync();
        using var badFormat = await PlayAsync(graph.Voice, call.CallSid, query: "?format=ogg");

        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal("audio/x-wav", whole.Content.Headers.ContentType?.MediaType);
        Assert.Contains("bytes", whole.Headers.AcceptRanges);
        Assert.Equal(atTwilio.Length, whole.Content.Headers.ContentLength);
        Assert.Equal(atTwilio, wholeBytes);
        Assert.Equal("RIFF", Encoding.ASCII.GetString(wholeBytes, 0, 4));

        Assert.Equal(HttpStatusCode.PartialContent, middle.StatusCode);
        Assert.Equal($"bytes 100-1099/{atTwilio.Length}", middle.Content.Headers.ContentRange?.ToString());
        Assert.Equal(atTwilio[100..1100], await middle.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.PartialContent, tail.StatusCode);
        Assert.Equal(atTwilio[^10..], await tail.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, pastTheEnd.StatusCode);
        Assert.Equal($"bytes */{atTwilio.Length}", pastTheEnd.Content.Headers.ContentRange?.ToString());

        Assert.Equal(HttpStatusCode.OK, mp3.StatusCode);
        Assert.Equal("audio/mpeg", mp3.Content.Headers.ContentType?.MediaType);
        Assert.Equal(await TwilioMediaAsync(graph, call.RecordingSid!, ".mp3"), mp3Bytes);
        Assert.Equal(HttpStatusCode.BadRequest, badFormat.StatusCode);

        var after = (await VoiceTestData.FindCallAsync(graph.Voice.Database, call.CallSid))!;
        Assert.Equal(outboxBefore, (await VoiceTestData.OutboxAsync(graph.Voice.Database)).Count);
        Assert.Equal(call.PipelineStatus, after.PipelineStatus);
        Assert.Equal(call.ProcessingAttempts, after.ProcessingAttempts);
    }

    [Fact]
    public async Task A_stored_json_or_relative_url_a_child_leg_and_another_gateway_replica_all_play_the_recording_and_refused_credentials_are_a_502()
    {
        await using var graph = await SimulatedGraph.StartAsync(infrastructure, speed: 1);
        var call = await RecordedCallAsync(graph);
        var atTwilio = await TwilioMediaAsync(graph, call.RecordingSid!, ".wav");
        var child = VoiceTestData.NewCallSid();
        await using (var db = VoiceTestData.OpenDb(graph.Voice.Database))
        {
            db.CallLogs.Add(new CallLog { CallSid = child, ParentCallSid = call.CallSid, BusinessId = call.BusinessId, Direction = CallDirection.Outbound, StartedAt = call.StartedAt });
            await db.SaveChangesAsync();
        }
        await using var replica = await VoiceHost.StartAsync(
            infrastructure, new Dictionary<string, string> { ["Twilio:ApiBaseUrl"] = graph.DoublesUrl }, database: graph.Voice.Database, fakeTwilioRest: false);
        await using var wrongToken = await VoiceHost.StartAsync(
            infrastructure,
            new Dictionary<string, string> { ["Twilio:ApiBaseUrl"] = graph.DoublesUrl, ["Twilio:AuthToken"] = "not-the-account-token" },
            database: graph.Voice.Database,
            fakeTwilioRest: false);

        var fromReplica = await BytesAsync(replica, call.CallSid);
        var fromChild = await BytesAsync(graph.Voice, child);
        await SetRecordingUrlAsync(graph, call.CallSid, $"{graph.DoublesUrl}/2010-04-01/Accounts/{VoiceTestData.AccountSid}/Recordings/{call.RecordingSid}.json");
        var fromJson = await BytesAsync(graph.Voice, call.CallSid);
        await SetRecordingUrlAsync(graph, call.CallSid, $"/2010-04-01/Accounts/{VoiceTestData.AccountSid}/Recordings/{call.RecordingSid}.json");
        var fromRelative = await BytesAsync(graph.Voice, call.CallSid);
        // From here the gateway has no copy of its own but a file on another container's disk (as the original system's
        // worker had), so Twilio's answer is all there is.
        await using (var db = VoiceTestData.OpenDb(graph.Voice.Database))
        {
            await db.CallLogs.Where(c => c.CallSid == call.CallSid).ExecuteUpdateAsync(set => set
                .SetProperty(c => c.StoredRecordingBytes, (long?)null)
                .SetProperty(c => c.LocalRecordingPath, "/another-container/recordings/call.wav"));
        }
        using var refused = await PlayAsync(wrongToken, call.CallSid);
        await SetRecordingUrlAsync(graph, call.CallSid, $"https://evil.example.com/2010-04-01/Accounts/{VoiceTestData.AccountSid}/Recordings/{call.RecordingSid}");
        using var foreignHost = await PlayAsync(graph.Voice, call.CallSid);
        await SetRecordingUrlAsync(graph, call.CallSid, $"{graph.DoublesUrl}/2010-04-01/Accounts/{VoiceTestData.AccountSid}/Recordings/{VoiceTestData.NewRecordingSid()}");
        using var deletedAtTwilio = await PlayAsync(graph.Voice, call.CallSid);

        Assert.Equal(atTwilio, fromReplica);
        Assert.Equal(atTwilio, fromChild);
        Assert.Equal(atTwilio, fromJson);
        Assert.Equal(atTwilio, fromRelative);
        Assert.Equal(HttpStatusCode.BadGateway, refused.StatusCode);
        Assert.Contains("credentials", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadGateway, foreignHost.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, deletedAtTwilio.StatusCode);
        Assert.DoesNotContain(wrongToken.Logs.Lines, l => l.Contains("not-the-account-token", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_a_twilio_recording_the_gateways_own_copy_plays_with_byte_ranges_and_no_recording_is_a_404()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);
        var business = await VoiceTestData.AddBusinessAsync(voice.Database, BusinessNumber);
        var path = Path.Combine(Directory.CreateTempSubdirectory("playback-local").FullName, "call.wav");
        var wav = await AudioSamples.ToneWavAsync(seconds: 1, channels: 2);
        await File.WriteAllBytesAsync(path, wav);
        var withCopy = VoiceTestData.NewCallSid();
        var without = VoiceTestData.NewCallSid();
        var twilioUnreachable = VoiceTestData.NewCallSid();
        await using (var db = VoiceTestData.OpenDb(voice.Database))
        {
            db.CallLogs.Add(new CallLog { CallSid = withCopy, BusinessId = business.Id, LocalRecordingPath = path, StartedAt = DateTimeOffset.UtcNow });
            db.CallLogs.Add(new CallLog { CallSid = without, BusinessId = business.Id, StartedAt = DateTimeOffset.UtcNow });
            db.CallLogs.Add(new CallLog { CallSid = twilioUnreachable, BusinessId = business.Id, RecordingSid = VoiceTestData.NewRecordingSid(), StartedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        }

        using var whole = await PlayAsync(voice, withCopy);
        using var range = await PlayAsync(voice, withCopy, new RangeHeaderValue(44, 143));
        using var none = await PlayAsync(voice, without);
        using var unknown = await PlayAsync(voice, "CA00000000000000000000000000000000");
        using var twilioDown = await PlayAsync(voice, twilioUnreachable);

        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal("audio/wav", whole.Content.Headers.ContentType?.MediaType);
        Assert.Equal(wav, await whole.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.PartialContent, range.StatusCode);
        Assert.Equal(wav[44..144], await range.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        // This gateway's Twilio is twilio.invalid: unreachable, and nothing of our own to play instead.
        Assert.Equal(HttpStatusCode.BadGateway, twilioDown.StatusCode);
    }

    [Fact]
    public async Task Media_served_without_ranges_or_through_a_cdn_redirect_still_plays_by_range_and_the_cdn_never_gets_the_credentials()
    {
        await using var media = await FakeTwilioMedia.StartAsync();
        media.Audio = await AudioSamples.ToneWavAsync(seconds: 1, channels: 1);
        await using var voice = await VoiceHost.StartAsync(infrastructure, new Dictionary<string, string>
        {
            ["Twilio:ApiBaseUrl"] = media.BaseUrl,
            ["Twilio:AccountSid"] = FakeTwilioMedia.AccountSid,
            ["Twilio:AuthToken"] = FakeTwilioMedia.AuthToken,
        });
        var business = await VoiceTestData.AddBusinessAsync(voice.Database, BusinessNumber);
        var callSid = VoiceTestData.NewCallSid();
        var recordingSid = VoiceTestData.NewRecordingSid();
        await using (var db = VoiceTestData.OpenDb(voice.Database))
        {
            db.CallLogs.Add(new CallLog { CallSid = callSid, BusinessId = business.Id, RecordingSid = recordingSid, RecordingUrl = media.RecordingUrl(recordingSid), StartedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        }

        using var ranged = await PlayAsync(voice, callSid, new RangeHeaderValue(1000, 1999));
        media.RedirectToCdn = true;
        using var redirected = await PlayAsync(voice, callSid, new RangeHeaderValue(100, 199));

        // The fake ignores Range (answers 200 with everything): the stream skips to the byte asked for.
        Assert.Equal(HttpStatusCode.PartialContent, ranged.StatusCode);
        Assert.Equal(media.Audio[1000..2000], await ranged.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.PartialContent, redirected.StatusCode);
        Assert.Equal(media.Audio[100..200], await redirected.Content.ReadAsByteArrayAsync());
        Assert.Contains(media.Requests, r => r.Host == "localhost" && r.Status == 200);
        Assert.All(media.Requests.Where(r => r.Host == "localhost"), r => Assert.False(r.HadAuthorization));
        Assert.All(media.Requests.Where(r => r.Host == "127.0.0.1"), r => Assert.True(r.HadAuthorization));
    }

    /// <summary>
    /// A simulated inbound call the Twilio double recorded, once its recording is complete. Graphs for it play media in
    /// real time (speed 1): sped up, a short call can end before a loaded machine's first REST request starts the recording.
    /// </summary>
    internal static async Task<CallLog> RecordedCallAsync(SimulatedGraph graph)
    {
        await VoiceTestData.AddBusinessAsync(graph.Voice.Database, BusinessNumber);
        var callSid = await graph.PlaceCallAsync(new { from = "+972545551234", to = BusinessNumber, direction = "inbound", text = "שלום, אני צריך אינסטלטור בתל אביב." });
        return await graph.WaitForCallAsync(callSid, c => c.RecordingStatus == "completed" && c.RecordingUrl is not null);
    }

    /// <summary>The recording's media straight from the Twilio double, with the account's credentials.</summary>
    private static async Task<byte[]> TwilioMediaAsync(SimulatedGraph graph, string recordingSid, string extension)
    {
        using var client = new HttpClient();
        client.DefaultRequestHeaders.Authorization = TwilioDoubleServer.BasicAuth(VoiceTestData.AccountSid, VoiceTestData.AuthToken);
        return await client.GetByteArrayAsync($"{graph.DoublesUrl}/2010-04-01/Accounts/{VoiceTestData.AccountSid}/Recordings/{recordingSid}{extension}");
    }

    internal static async Task<HttpResponseMessage> PlayAsync(VoiceHost voice, string callSid, RangeHeaderValue? range = null, string query = "")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/calls/{callSid}/recording{query}");
        request.Headers.Range = range;
        return await voice.Operator.SendAsync(request);
    }

    private static async Task<byte[]> BytesAsync(VoiceHost voice, string callSid)
    {
        using var response = await PlayAsync(voice, callSid);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync();
    }

    private static async Task SetRecordingUrlAsync(SimulatedGraph graph, string callSid, string url)
    {
        await using var db = VoiceTestData.OpenDb(graph.Voice.Database);
        await db.CallLogs.Where(c => c.CallSid == callSid).ExecuteUpdateAsync(set => set.SetProperty(c => c.RecordingUrl, url));
    }
}
