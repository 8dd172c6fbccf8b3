using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CallPipeline.Data.Entities;
using CallPipeline.Tests.Infrastructure;
using CallPipeline.Tests.Webhooks.Support;
using CallPipeline.Tests.Worker.Support;
using CallPipeline.Twilio.Audio;

namespace CallPipeline.Tests.Worker;

/// <summary>
/// Two-channel recordings through the real worker host, real ffmpeg, Postgres and Redis and the fake OpenAI: each
/// speaker's turns are transcribed apart and come back as turns with their speaker and times, and the summary and
/// extraction are told who said what.
/// </summary>
[Trait("Category", "Infrastructure")]
public sealed partial class SpeakerTurnPipelineTests(InfrastructureFixture infrastructure) : IClassFixture<InfrastructureFixture>
{
    /// <summary>The silence detector works on 16 kHz audio resampled from 8 kHz; its edges land within a few milliseconds.</summary>
    private const double Edge = 0.05;

    [Fact]
    public async Task Two_channels_become_caller_and_line_turns_in_time_order_with_their_times_and_labels()
    {
        await using var env = await WorkerTestEnvironment.CreateAsync(infrastructure);
        env.Twilio.Audio = AudioSamples.TwoChannelWav(8, caller: [(2.0, 4.0), (6.0, 7.5)], line: [(0.5, 1.5), (4.5, 5.5)]);
        env.OpenAi.Transcribe = request => Upload(request) switch
        {
            (2, < 1) => "שלום, הגעתם לאינסטלציה בתל אביב. במה אפשר לעזור?",
            (1, < 3) => "קוראים לי דני, יש לי נזילה בחיפה.",
            (2, _) => "נשלח אינסטלטור מחר בבוקר.",
            (1, _) => "תודה רבה.",
            _ => null,
        };
        await using var worker = WorkerHost.Start(env, "worker-a");

        var (call, saved) = await ProcessAsync(env);

        var turns = saved.TranscriptTurns!;
        Assert.Equal([SpeakerRole.Line, SpeakerRole.Caller, SpeakerRole.Line, SpeakerRole.Caller], turns.Select(t => t.Role));
        AssertTimes([(0.5, 1.5), (2.0, 4.0), (4.5, 5.5), (6.0, 7.5)], turns);
        Assert.Equal(
            "נציג: שלום, הגעתם לאינסטלציה בתל אביב. במה אפשר לעזור?\nלקוח: קוראים לי דני, יש לי נזילה בחיפה.\nנציג: נשלח אינסטלטור מחר בבוקר.\nלקוח: תודה רבה.",
            saved.SpeakerTranscript);
        Assert.Equal(string.Join(" ", turns.Select(t => t.Text)), saved.FinalTranscript);
        Assert.Equal(TranscriptSource.Recording, saved.TranscriptSource);
        Assert.Equal(3.5, saved.CallerSpeechSeconds!.Value, 1);

        // One request per turn, each the turn's own channel at 16 kHz mono, named by channel and where it starts.
        var uploads = env.OpenAi.Transcriptions.OrderBy(t => Upload(t).At).ToList();
        Assert.Equal([2, 1, 2, 1], uploads.Select(t => Upload(t).Channel));
        Assert.All(uploads, t => Assert.Matches($"^{call.RecordingSid}\\.ch[12]\\.at[0-9]+\\.wav$", t.FileName));
        Assert.All(uploads, t => Assert.Equal(("gpt-4o-transcribe", "json", "he"), (t.Model, t.ResponseFormat, t.Language)));
        foreach (var upload in uploads)
        {
            var format = WavInfo.TryRead(await AudioSamples.WriteAsync(upload.Audio, ".wav"))!;
            Assert.Equal((1, 16000), (format.Channels, format.SampleRate));
        }

        // The models are told who said what.
        var summary = Assert.Single(env.OpenAi.Chats, c => c.ResponseFormatType is null);
        Assert.Equal(saved.SpeakerTranscript, summary.UserText);
        Assert.Contains("\"לקוח:\" is the customer", summary.SystemPrompt);
        var extraction = Assert.Single(env.OpenAi.Chats, c => c.ResponseFormatType == "json_schema");
        Assert.Equal(saved.SpeakerTranscript, extraction.UserText);
        Assert.Contains("only from what the customer said", extraction.SystemPrompt);
        Assert.Equal(0.93, saved.ExtractionConfidence);

        // The webhook carries the turns and the labelled transcript besides the plain transcript.
        var payload = JsonNode.Parse(Assert.Single(saved.WebhookDeliveries).Payload)!;
        Assert.Equal(saved.FinalTranscript, payload["transcript"]!.GetValue<string>());
        Assert.Equal(saved.SpeakerTranscript, payload["speaker_transcript"]!.GetValue<string>());
        Assert.Equal(["line", "caller", "line", "caller"], payload["transcript_turns"]!.AsArray().Select(t => t!["role"]!.GetValue<string>()));
        CallPipeline.Tests.Webhooks.CallWebhookPayloadSchemaTests.AssertValid(payload.ToJsonString());

        Assert.Single(worker.Logs.Lines, l => l.StartsWith($"Channels of {call.CallSid} split into turns: caller 2 turns", StringComparison.Ordinal));
        Assert.DoesNotContain(worker.Logs.Lines, l => l.Contains("נזילה", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_silent_line_channel_sends_no_request_and_the_caller_alone_has_turns()
    {
        await using var env = await WorkerTestEnvironment.CreateAsync(infrastructure);
        env.Twilio.Audio = AudioSamples.TwoChannelWav(4, caller: [(1.0, 3.0)], line: []);
        env.OpenAi.Transcribe = _ => "אני צריך אינסטלטור בחיפה";
        await using var worker = WorkerHost.Start(env, "worker-a");

        var (call, saved) = await ProcessAsync(env);

        var upload = Assert.Single(env.OpenAi.Transcriptions);
        Assert.Equal(1, Upload(upload).Channel);
        var turn = Assert.Single(saved.TranscriptTurns!);
        Assert.Equal(SpeakerRole.Caller, turn.Role);
        AssertTimes([(1.0, 3.0)], [turn]);
        Assert.Equal("לקוח: אני צריך אינסטלטור בחיפה", saved.SpeakerTranscript);
        Assert.Equal(0.93, saved.ExtractionConfidence);
    }

    [Fact]
    public async Task A_silent_caller_channel_gives_no_extraction_and_confidence_zero_even_when_the_line_names_a_city()
    {
        await using var env = await WorkerTestEnvironment.CreateAsync(infrastructure);
        env.Twilio.Audio = AudioSamples.TwoChannelWav(4, caller: [], line: [(0.5, 2.5)]);
        env.OpenAi.Transcribe = _ => "שלום, הגעתם לאינסטלציה בתל אביב. במה אפשר לעזור?";
        await using var worker = WorkerHost.Start(env, "worker-a");

        var (call, saved) = await ProcessAsync(env);

        Assert.Equal(2, Upload(Assert.Single(env.OpenAi.Transcriptions)).Channel);
        Assert.Equal(SpeakerRole.Line, Assert.Single(saved.TranscriptTurns!).Role);
        Assert.Equal(0, saved.CallerSpeechSeconds);
        Assert.DoesNotContain(env.OpenAi.Chats, c => c.ResponseFormatType == "json_schema");
        Assert.Null(saved.ExtractedCity);
        Assert.Null(saved.ExtractedService);
        Assert.Equal(0, saved.ExtractionConfidence);
        Assert.Single(worker.Logs.Lines, l => l.StartsWith($"No extraction for {call.CallSid}: the caller's channel has no words", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Overlapping_speech_gives_a_turn_on_each_side_and_a_line_interjection_splits_the_callers_turn()
    {
        await using var env = await WorkerTestEnvironment.CreateAsync(infrastructure);
        // The caller talks over the line from 2.0 to 3.0; later the line says "yes" in the caller's short pause.
        env.Twilio.Audio = AudioSamples.TwoChannelWav(9, caller: [(1.0, 4.0), (5.5, 6.0), (6.8, 8.0)], line: [(2.0, 3.0), (6.2, 6.6)]);
        env.OpenAi.Transcribe = request => $"{Upload(request).Channel}@{Upload(request).At:0.0}";
        await using var worker = WorkerHost.Start(env, "worker-a");

        var (call, saved) = await ProcessAsync(env);

        var turns = saved.TranscriptTurns!;
        Assert.Equal(
            [SpeakerRole.Caller, SpeakerRole.Line, SpeakerRole.Caller, SpeakerRole.Line, SpeakerRole.Caller],
            turns.Select(t => t.Role));
        AssertTimes([(1.0, 4.0), (2.0, 3.0), (5.5, 6.0), (6.2, 6.6), (6.8, 8.0)], turns);
        Assert.Equal(5, env.OpenAi.Transcriptions.Count);
    }

    [Fact]
    public async Task Caller_speech_that_comes_back_without_words_lowers_the_extraction_confidence_by_its_share()
    {
        await using var env = await WorkerTestEnvironment.CreateAsync(infrastructure);
        env.Twilio.Audio = AudioSamples.TwoChannelWav(8, caller: [(1.0, 2.0), (4.0, 7.0)], line: [(2.5, 3.5)]);
        // The caller's long turn is unintelligible: the model returns no words for it.
        env.OpenAi.Transcribe = request => Upload(request) switch
        {
            (1, < 2) => "אני בחיפה",
            (1, _) => "",
            _ => "באיזו עיר?",
        };
        await using var worker = WorkerHost.Start(env, "worker-a");

        var (call, saved) = await ProcessAsync(env);

        Assert.Equal([SpeakerRole.Caller, SpeakerRole.Line], saved.TranscriptTurns!.Select(t => t.Role));
        Assert.Equal(4.0, saved.CallerSpeechSeconds!.Value, 1);
        // 1 s of the caller's 4 s came back as words: 0.93 × 0.25.
        Assert.InRange(saved.ExtractionConfidence!.Value, 0.21, 0.25);
        Assert.Equal("חיפה", saved.ExtractedCity);
    }

    [Fact]
    public async Task A_turn_over_the_upload_limit_is_cut_in_its_pauses_and_each_piece_named_with_its_own_offset()
    {
        await using var env = await WorkerTestEnvironment.CreateAsync(infrastructure);
        // One 9 s caller turn (its 0.5 s pauses are shorter than a turn pause), then the line.
        env.Twilio.Audio = AudioSamples.TwoChannelWav(12, caller: [(0.5, 3.5), (4.0, 6.5), (7.0, 9.5)], line: [(10.0, 11.0)]);
        var pieces = new[] { "ראשון", "שני", "שלישי" };
        env.OpenAi.Transcribe = request => Upload(request) switch
        {
            (2, _) => "תודה",
            (1, < 1) => pieces[0],
            (1, < 5) => pieces[1],
            (1, _) => pieces[2],
            _ => null,
        };
        // Uploads of at most 3.5 s at 16 kHz mono (112,044 bytes); the whole call is 12 s on two channels.
        await using var worker = WorkerHost.Start(env, "worker-a", new Dictionary<string, string> { ["Worker:MaxUploadBytes"] = "112044" });

        var (call, saved) = await ProcessAsync(env);

        var callerUploads = env.OpenAi.Transcriptions.Where(t => Upload(t).Channel == 1).OrderBy(t => Upload(t).At).ToList();
        Assert.Equal(3, callerUploads.Count);
        Assert.All(env.OpenAi.Transcriptions, t => Assert.True(t.Audio.Length <= 112_044, $"{t.FileName} is {t.Audio.Length} bytes"));
        // Each piece starts where the previous ended, inside the turn's pauses (3.5-4.0 s and 6.5-7.0 s).
        var offsets = callerUploads.Select(t => Upload(t).At).ToList();
        Assert.Equal(0.3, offsets[0], 2);
        Assert.InRange(offsets[1], 3.5, 4.0);
        Assert.InRange(offsets[2], 6.5, 7.0);
        for (var i = 0; i < 2; i++)
        {
            var duration = WavInfo.TryRead(await AudioSamples.WriteAsync(callerUploads[i].Audio, ".wav"))!.DurationSeconds;
            Assert.InRange(offsets[i] + duration, offsets[i + 1] - 0.01, offsets[i + 1] + 0.01);
        }

        Assert.Equal([SpeakerRole.Caller, SpeakerRole.Line], saved.TranscriptTurns!.Select(t => t.Role));
        AssertTimes([(0.5, 9.5), (10.0, 11.0)], saved.TranscriptTurns!);
        Assert.Equal("ראשון שני שלישי", saved.TranscriptTurns![0].Text);
    }

    /// <summary>A recorded call of a new business, queued and waited for until processed.</summary>
    private static async Task<(CallLog Call, CallLog Saved)> ProcessAsync(WorkerTestEnvironment env)
    {
        var business = await env.AddBusinessAsync();
        var call = await env.AddRecordedCallAsync(business.Id);
        await env.EnqueueAsync(call);
        return (call, await env.WaitForStatusAsync(call.CallSid, PipelineStatus.Processed));
    }

    /// <summary>The channel and the offset (seconds) an upload's name carries.</summary>
    private static (int Channel, double At) Upload(TranscriptionRequest request)
    {
        var match = TurnName().Match(request.FileName);
        return match.Success
            ? (int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), long.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture) / 1000.0)
            : (0, 0);
    }

    private static void AssertTimes(IReadOnlyList<(double Start, double End)> expected, IReadOnlyList<TranscriptTurn> turns)
    {
        Assert.Equal(expected.Count, turns.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.True(Math.Abs(turns[i].Start - expected[i].Start) <= Edge && Math.Abs(turns[i].End - expected[i].End) <= Edge,
                $"turn {i} is {turns[i].Start:0.000}-{turns[i].End:0.000} s, expected {expected[i].Start}-{expected[i].End} s");
        }
    }

    [GeneratedRegex(@"\.ch([12])\.at([0-9]+)\.wav$")]
    private static partial Regex TurnName();
}
