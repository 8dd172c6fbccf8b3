using CallPipeline.Data.Entities;
using CallPipeline.Tests.Infrastructure;
using CallPipeline.Tests.Support;
using CallPipeline.Tests.Worker.Support;
using CallPipeline.Twilio.Audio;

namespace CallPipeline.Tests.Worker;

/// <summary>
/// The whole job path through the real worker host: a recorded call and a stream entry in, a processed call log and one
/// call-completed webhook delivery out, against real Postgres, Redis and ffmpeg and fakes of OpenAI and Twilio media.
/// </summary>
[Trait("Category", "Infrastructure")]
public sealed class RecordingPipelineTests(InfrastructureFixture infrastructure) : IClassFixture<InfrastructureFixture>
{
    [Fact]
    public async Task A_recorded_call_is_fetched_converted_transcribed_summarised_extracted_and_saved_with_one_webhook_delivery()
    {
        await using var env = await WorkerTestEnvironment.CreateAsync(infrastructure);
        var business = await env.AddBusinessAsync();
        var call = await env.AddRecordedCallAsync(business.Id, realtimeTranscript: "שלום");
        await using var worker = WorkerHost.Start(env, "worker-a");

        await env.EnqueueAsync(call);
        var saved = await env.WaitForStatusAsync(call.CallSid, PipelineStatus.Processed);

        Assert.Equal(TranscriptSource.Recording, saved.TranscriptSource);
        Assert.Contains($"{call.RecordingSid}.wav", saved.FinalTranscript);
        // One channel: one turn of an unknown speaker over the whole recording, no labels, no caller measure.
        var turn = Assert.Single(saved.TranscriptTurns!);
        Assert.Equal((SpeakerRole.Unknown, 0.0, saved.FinalTranscript), (turn.Role, turn.Start, turn.Text));
        Assert.Equal(1.5, turn.End, 2);
        Assert.Equal(saved.FinalTranscript, saved.SpeakerTranscript);
        Assert.Null(saved.CallerSpeechSeconds);
        Assert.Equal(env.OpenAi.SummaryText, saved.Summary);
        Assert.Equal("חיפה", saved.ExtractedCity);
        Assert.Equal("אינסטלציה", saved.ExtractedService);
        Assert.Equal("דני", saved.CustomerName);
        Assert.Equal(0.93, saved.ExtractionConfidence);
        Assert.NotNull(saved.ProcessedAt);
        Assert.Null(saved.ErrorReason);
        Assert.Equal(1, saved.ProcessingAttempts);
        // 1.5 s at 16 kHz mono s16le: 48,000 bytes of samples plus the header.
        Assert.Equal(1.5, saved.AudioDurationSeconds!.Value, 2);
        Assert.InRange(saved.AudioBytes!.Value, 48_044, 48_200);
        Assert.Equal(call.RecordingSid, saved.RecordingSid);
        Assert.Equal(call.RecordingUrl, saved.RecordingUrl);
        foreach (var step in new[] { "load", "fetch", "convert", "transcribe", "summarise", "extract" })
        {
            Assert.Contains($"\"{step}\":", saved.StepTimings);
        }
        var delivery = Assert.Single(saved.WebhookDeliveries);
        Assert.Equal("call.completed", delivery.EventType);

        // Twilio: dual-channel WAV first, with credentials, on the API host.
        var media = Assert.Single(env.Twilio.Requests);
        Assert.EndsWith(".wav?RequestedChannels=2", media.PathAndQuery);
        Assert.True(media.HadAuthorization);

        // OpenAI: json (never verbose_json), Hebrew, the vocabulary prompt, and the RecordingSid as the file name.
        var transcription = Assert.Single(env.OpenAi.Transcriptions);
        Assert.Equal("gpt-4o-transcribe", transcription.Model);
        Assert.Equal("json", transcription.ResponseFormat);
        Assert.Equal("he", transcription.Language);
        Assert.Equal($"{call.RecordingSid}.wav", transcription.FileName);
        Assert.Contains("דוד שמש", transcription.Prompt);
        Assert.DoesNotContain("timestamp_granularities[]", transcription.FieldNames);
        var wav = await AudioSamples.WriteAsync(transcription.Audio, ".wav");
        var format = WavInfo.TryRead(wav)!;
        Assert.Equal((1, 1, 16000, 16), (format.AudioFormat, format.Channels, format.SampleRate, format.BitsPerSample));

        var summary = Assert.Single(env.OpenAi.Chats, c => c.ResponseFormatType is null);
        Assert.Equal("gpt-4o-mini", summary.Model);
        Assert.Contains(business.Name, summary.SystemPrompt);
        Assert.Contains("plumbing", summary.SystemPrompt);
        Assert.Equal(saved.FinalTranscript, summary.UserText);
        var extraction = Assert.Single(env.OpenAi.Chats, c => c.ResponseFormatType == "json_schema");
        Assert.True(extraction.JsonSchema!.Value.GetProperty("strict").GetBoolean());
        Assert.Equal(env.OpenAi.SummaryText, extraction.UserText);

        // Each step logged once, with the contract's wording; no transcript or secret in any line.
        var lines = worker.Logs.Lines;
        Assert.Single(lines, l => l.StartsWith($"Audio converted to WAV 16 kHz mono for {call.CallSid}: ", StringComparison.Ordinal) && l.EndsWith(" s", StringComparison.Ordinal));
        Assert.Single(lines, l => l == $"Transcript obtained for {call.CallSid}: {saved.FinalTranscript!.Length} chars (gpt-4o-transcribe)");
        Assert.Single(lines, l => l == $"Extracted for {call.CallSid}: service 9 chars, city 4 chars, customer name 3 chars, confidence 0.93");
        Assert.Single(lines, l => l == $"Final transcript saved for {call.CallSid}: {saved.FinalTranscript!.Length} chars, source recording");
        Assert.Single(lines, l => l.StartsWith($"Webhook queued for call {call.CallSid}", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(saved.FinalTranscript!) || l.Contains(FakeTwilioMedia.AuthToken) || l.Contains("sk-test-key") || l.Contains(env.OpenAi.SummaryText));
        // Caller data never reaches a log line above Debug: lengths only.
        Assert.DoesNotContain(lines, l => l.Contains(saved.ExtractedCity!) || l.Contains(saved.ExtractedService!) || l.Contains(saved.CustomerName!));
        Assert.DoesNotContain(lines, l => l.Contains("Unhandled exception") || l.Contains("UndefinedColumn"));
        await Eventually.ReturnsAsync(env.PendingCountAsync, count => count == 0, "the entry is acknowledged");
    }

    [Fact]
    public async Task The_summary_prompt_carries_the_calls_own_business_not_another_active_one()
    {
        await using var env = await WorkerTestEnvironment.CreateAsync(infrastructure);
        var first = await env.AddBusinessAsync("First Active Locksmiths");
        var own = await env.AddBusinessAsync("Galilee Gardening");
        var call = await env.AddRecordedCallAsync(own.Id);
        await using var worker = WorkerHost.Start(env, "worker-a");

        await env.EnqueueAsync(call);
        await env.WaitForStatusAsync(call.CallSid, PipelineStatus.Processed);

        var summary = Assert.Single(env.OpenAi.Chats, c => c.ResponseFormatType is null);
        Assert.Contains("Galilee Gardening", summary.SystemPrompt);
        Assert.DoesNotContain(first.Name, summary.SystemPrompt);
        Assert.Contains("Galilee Gardening", Assert.Single(env.OpenAi.Transcriptions).Prompt);
    }

    [Fact]
    public async Task When_gpt_4o_transcribe_fails_whisper_1_transcribes_with_json_and_the_model_is_logged()
    {
        await using var env = await WorkerTestEnvironment.CreateAsync(infrastructure);
        env.OpenAi.Transcribe = request => request.Model == "whisper-1" ? "טקסט מוויספר על נזילה בחיפה" : null;
        var business = await env.AddBusinessAsync();
        var call = await env.AddRecordedCallAsync(business.Id);
        await using var worker = WorkerHost.Start(env, "worker-a");

        await env.EnqueueAsync(call);
        var saved = await env.WaitForStatusAsync(call.CallSid, PipelineStatus.Processed);

        Assert.Equal("טקסט מוויספר על נזילה בחיפה", saved.FinalTranscript);
        Assert.Equal(["gpt-4o-transcribe", "whisper-1"], env.OpenAi.Transcriptions.Select(t => t.Model));
        Assert.All(env.OpenAi.Transcriptions, t => Assert.Equal("json", t.ResponseFormat));
        Assert.All(env.OpenAi.Transcriptions, t => Assert.Equal($"{call.RecordingSid}.wav", t.FileName));
        Assert.Single(worker.Logs.Lines, l => l == $"Transcript obtained for {call.CallSid}: {saved.FinalTranscript!.Length} chars (whisper-1)");
    }

    [Fact]
    public async Task An_empty_recording_transcript_falls_back_to_the_realtime_transcript()
    {
        await using var env = await WorkerTestEnvironment.CreateAsync(infrastructure);
        env.OpenAi.Transcribe = _ => " ";
        var business = await env.AddBusinessAsync();
        var call = await env.AddRecordedCallAsync(business.Id, realtimeTranscript: "אני צריך אינסטלטור בקריות");
        await using var worker = WorkerHost.Start(env, "worker-a");

        await env.EnqueueAsync(call);
        var saved = await env.WaitForStatusAsync(call.CallSid, PipelineStatus.Processed);

        Assert.Equal(TranscriptSource.Realtime, saved.TranscriptSource);
        Assert.Equal("אני צריך אינסטלטור בקריות", saved.FinalTranscript);
        Assert.Null(saved.TranscriptTurns);
        Assert.Null(saved.SpeakerTranscript);
        Assert.Equal("אני צריך אינסטלטור בקריות", Assert.Single(env.OpenAi.Chats, c => c.ResponseFormatType is null).UserText);
        Assert.Single(worker.Logs.Lines, l => l == $"Final transcript saved for {call.CallSid}: {saved.FinalTranscript!.Length} chars, source realtime");
    }

    [Fact]
    public async Task A_call_without_speech_gets_a_fixed_summary_without_any_chat_model_call()
    {
        await using var env = await WorkerTestEnvironment.CreateAsync(infrastructure);
        env.OpenAi.Transcribe = _ => "";
        var business = await env.AddBusinessAsync();
        var call = await env.AddRecordedCallAsync(business.Id);
        await using var worker = WorkerHost.Start(env, "worker-a");

        await env.EnqueueAsync(call);
        var saved = await env.WaitForStatusAsync(call.CallSid, PipelineStatus.Processed);

        Assert.Equal(TranscriptSource.None, saved.TranscriptSource);
        Assert.Null(saved.FinalTranscript);
        Assert.Equal("שיחה ללא דיבור (40 שניות).", saved.Summary);
        Assert.Null(saved.ExtractedCity);
        Assert.Equal(0, saved.ExtractionConfidence);
        Assert.Empty(env.OpenAi.Chats);
        Assert.Single(saved.WebhookDeliveries);
    }

    [Fact]
    public async Task Audio_over_the_upload_limit_is_split_at_silences_and_the_parts_joined_in_order()
    {
        await using var env = await WorkerTestEnvironment.CreateAsync(infrastructure);
        env.Twilio.Audio = await AudioSamples.TonesWithSilencesAsync(tone: 2, silence: 1);
        env.OpenAi.Transcribe = request => request.FileName switch
        {
            var name when name.EndsWith(".part1.wav", StringComparison.Ordinal) => "ראשון",
            var name when name.EndsWith(".part2.wav", StringComparison.Ordinal) => "שני",
            var name when name.EndsWith(".part3.wav", StringComparison.Ordinal) => "שלישי",
            _ => null,
        };
        var business = await env.AddBusinessAsync();
        var call = await env.AddRecordedCallAsync(business.Id);
        // 8 s of audio, parts of at most 3.5 s (112,000 bytes at 16 kHz): three parts, cut inside the two silences.
        await using var worker = WorkerHost.Start(env, "worker-a", new Dictionary<string, string> { ["Worker:MaxUploadBytes"] = "112044" });

        await env.EnqueueAsync(call);
        var saved = await env.WaitForStatusAsync(call.CallSid, PipelineStatus.Processed);

        Assert.Equal("ראשון שני שלישי", saved.FinalTranscript);
        Assert.Equal(["ראשון", "שני", "שלישי"], saved.TranscriptTurns!.Select(t => t.Text));
        Assert.All(saved.TranscriptTurns!, t => Assert.Equal(SpeakerRole.Unknown, t.Role));
        Assert.Equal(0, saved.TranscriptTurns![0].Start);
        Assert.Equal(8.0, saved.TranscriptTurns![^1].End, 2);
        Assert.Equal(saved.TranscriptTurns![0].End, saved.TranscriptTurns![1].Start);
        // Parts are sent side by side; the transcript joins them in their order whatever order they were answered in.
        var parts = env.OpenAi.Transcriptions.OrderBy(t => t.FileName, StringComparer.Ordinal).ToList();
        Assert.Equal([$"{call.RecordingSid}.part1.wav", $"{call.RecordingSid}.part2.wav", $"{call.RecordingSid}.part3.wav"], parts.Select(t => t.FileName));
        var durations = new List<double>();
        foreach (var part in parts)
        {
            var info = WavInfo.TryRead(await AudioSamples.WriteAsync(part.Audio, ".wav"))!;
            Assert.True(part.Audio.Length <= 112_044);
            durations.Add(info.DurationSeconds);
        }
        Assert.Equal(8.0, durations.Sum(), 2);
        // Cuts inside the silences (2-3 s and 5-6 s), not through a tone.
        Assert.InRange(durations[0], 2.0, 3.0);
        Assert.InRange(durations[0] + durations[1], 5.0, 6.0);
    }

    [Fact]
    public async Task Audio_just_under_the_upload_limit_is_still_split_so_the_whole_request_fits()
    {
        await using var env = await WorkerTestEnvironment.CreateAsync(infrastructure);
        env.Twilio.Audio = await AudioSamples.TonesWithSilencesAsync(tone: 2, silence: 1);
        var business = await env.AddBusinessAsync();
        var call = await env.AddRecordedCallAsync(business.Id);
        // 8 s at 16 kHz is 256,044 bytes: under this limit as a file, over it once the multipart framing is added.
        await using var worker = WorkerHost.Start(env, "worker-a", new Dictionary<string, string> { ["Worker:MaxUploadBytes"] = "256100" });

        await env.EnqueueAsync(call);
        await env.WaitForStatusAsync(call.CallSid, PipelineStatus.Processed);

        Assert.Equal(2, env.OpenAi.Transcriptions.Count);
        Assert.All(env.OpenAi.Transcriptions, part => Assert.True(part.Audio.Length <= 256_100 * 0.98));
    }

    [Fact]
    public async Task A_duplicate_job_is_processed_once_with_one_webhook_delivery()
    {
        await using var env = await WorkerTestEnvironment.CreateAsync(infrastructure);
        var business = await env.AddBusinessAsync();
        var call = await env.AddRecordedCallAsync(business.Id);
        await using var worker = WorkerHost.Start(env, "worker-a");

        await env.EnqueueAsync(call);
        await env.WaitForStatusAsync(call.CallSid, PipelineStatus.Processed);
        await env.EnqueueAsync(call);
        await Eventually.ReturnsAsync(
            () => Task.FromResult(worker.Logs.Lines.Count(l => l.Contains($"Job for {call.CallSid} acknowledged without work"))),
            count => count == 1,
            "the duplicate is acknowledged");

        var saved = await env.LoadCallAsync(call.CallSid);
        Assert.Single(saved.WebhookDeliveries);
        Assert.Single(env.OpenAi.Transcriptions);
        Assert.Equal(1, saved.ProcessingAttempts);
        Assert.Single(worker.Logs.Lines, l => l.StartsWith($"Final transcript saved for {call.CallSid}", StringComparison.Ordinal));
        await Eventually.ReturnsAsync(env.PendingCountAsync, count => count == 0, "both entries are acknowledged");
    }

    [Fact]
    public async Task A_refusal_from_the_ai_endpoint_is_recorded_by_status_and_type_never_by_its_message_that_names_the_key()
    {
        await using var env = await WorkerTestEnvironment.CreateAsync(infrastructure);
        env.OpenAi.Transcribe = _ => null;
        env.OpenAi.Failure = (401, "Incorrect API key provided: sk-proj-abc***wxyz. You can find your API key at https://platform.openai.com.");
        var business = await env.AddBusinessAsync();
        var call = await env.AddRecordedCallAsync(business.Id);
        await using var worker = WorkerHost.Start(env, "worker-a");

        await env.EnqueueAsync(call);
        var saved = await env.WaitForStatusAsync(call.CallSid, PipelineStatus.Failed);

        Assert.Contains("HTTP 401 (invalid_request_error)", saved.ErrorReason);
        Assert.DoesNotContain("sk-proj", saved.ErrorReason);
        var dead = Assert.Single(await Eventually.ReturnsAsync(env.DeadLettersAsync, entries => entries.Length > 0, "the entry is dead-lettered"));
        Assert.DoesNotContain("sk-proj", (string?)dead["error"]);
        Assert.DoesNotContain(worker.Logs.Lines, l => l.Contains("sk-proj", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Corrupt_audio_that_ffmpeg_and_the_ai_endpoint_both_reject_fails_the_call_with_a_clear_reason()
    {
        await using var env = await WorkerTestEnvironment.CreateAsync(infrastructure);
        env.Twilio.Audio = "this is not audio at all, just text bytes"u8.ToArray();
        var business = await env.AddBusinessAsync();
        var call = await env.AddRecordedCallAsync(business.Id);
        await using var worker = WorkerHost.Start(env, "worker-a");

        await env.EnqueueAsync(call);
        var saved = await env.WaitForStatusAsync(call.CallSid, PipelineStatus.Failed);

        Assert.Contains("ffmpeg", saved.ErrorReason);
        Assert.Contains("HTTP 400", saved.ErrorReason);
        Assert.Empty(saved.WebhookDeliveries);
        var dead = Assert.Single(await Eventually.ReturnsAsync(env.DeadLettersAsync, entries => entries.Length > 0, "the entry is dead-lettered"));
        Assert.Equal(call.CallSid, (string?)dead["callSid"]);
        Assert.Contains("HTTP 400", (string?)dead["error"]);
        Assert.Single(worker.Logs.Lines, l => l.StartsWith($"Audio not converted for {call.CallSid}", StringComparison.Ordinal));
        await Eventually.ReturnsAsync(env.PendingCountAsync, count => count == 0, "the entry is acknowledged");
    }

    [Fact]
    public async Task A_call_without_a_recording_url_uses_the_gateways_local_recording()
    {
        await using var env = await WorkerTestEnvironment.CreateAsync(infrastructure);
        var local = await AudioSamples.WriteAsync(await AudioSamples.ToneWavAsync(1, channels: 1), ".wav");
        var business = await env.AddBusinessAsync();
        var call = await env.AddRecordedCallAsync(business.Id, withRecordingUrl: false, localRecordingPath: local);
        await using var worker = WorkerHost.Start(env, "worker-a");

        await env.EnqueueAsync(call);
        var saved = await env.WaitForStatusAsync(call.CallSid, PipelineStatus.Processed);

        Assert.Empty(env.Twilio.Requests);
        Assert.Equal(TranscriptSource.Recording, saved.TranscriptSource);
        Assert.Equal(1.0, saved.AudioDurationSeconds!.Value, 2);
        Assert.True(File.Exists(local), "the gateway's own file is not a temporary file of the worker");
    }

    [Fact]
    public async Task A_call_without_a_business_fails_with_that_reason_and_no_model_is_called()
    {
        await using var env = await WorkerTestEnvironment.CreateAsync(infrastructure);
        var call = await env.AddRecordedCallAsync(businessId: null);
        await using var worker = WorkerHost.Start(env, "worker-a");

        await env.EnqueueAsync(call);
        var saved = await env.WaitForStatusAsync(call.CallSid, PipelineStatus.Failed);

        Assert.Contains("no business", saved.ErrorReason);
        Assert.Empty(env.OpenAi.Transcriptions);
        Assert.Single(await Eventually.ReturnsAsync(env.DeadLettersAsync, entries => entries.Length > 0, "the entry is dead-lettered"));
    }

    [Fact]
    public async Task Without_ffmpeg_the_original_recording_is_transcribed_and_the_reason_logged()
    {
        await using var env = await WorkerTestEnvironment.CreateAsync(infrastructure);
        var business = await env.AddBusinessAsync();
        var call = await env.AddRecordedCallAsync(business.Id);
        await using var worker = WorkerHost.Start(env, "worker-a", new Dictionary<string, string> { ["Worker:FfmpegPath"] = "/nonexistent/ffmpeg" });

        await env.EnqueueAsync(call);
        var saved = await env.WaitForStatusAsync(call.CallSid, PipelineStatus.Processed);

        var transcription = Assert.Single(env.OpenAi.Transcriptions);
        Assert.Equal(env.Twilio.Audio, transcription.Audio);
        Assert.Equal($"{call.RecordingSid}.wav", transcription.FileName);
        Assert.Equal(env.Twilio.Audio.Length, saved.AudioBytes);
        Assert.Equal(1.5, saved.AudioDurationSeconds!.Value, 2);
        Assert.Equal(TranscriptSource.Recording, saved.TranscriptSource);
        Assert.Single(worker.Logs.Lines, l => l.StartsWith($"Audio not converted for {call.CallSid}, the original recording is transcribed: ffmpeg could not be started", StringComparison.Ordinal));
        Assert.DoesNotContain(worker.Logs.Lines, l => l.StartsWith("Audio converted to WAV", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_recording_without_samples_is_not_sent_for_transcription_and_the_realtime_transcript_is_used()
    {
        await using var env = await WorkerTestEnvironment.CreateAsync(infrastructure);
        env.Twilio.Audio = new WavInfo(1, 1, 8000, 16, 44, 0).CanonicalHeader(0);
        var business = await env.AddBusinessAsync();
        var call = await env.AddRecordedCallAsync(business.Id, realtimeTranscript: "שלום, יש לי סתימה בכיור");
        await using var worker = WorkerHost.Start(env, "worker-a");

        await env.EnqueueAsync(call);
        var saved = await env.WaitForStatusAsync(call.CallSid, PipelineStatus.Processed);

        Assert.Empty(env.OpenAi.Transcriptions);
        Assert.Equal(TranscriptSource.Realtime, saved.TranscriptSource);
        Assert.Equal("שלום, יש לי סתימה בכיור", saved.FinalTranscript);
        Assert.Equal(0, saved.AudioDurationSeconds);
        Assert.Single(worker.Logs.Lines, l => l == $"Recording of {call.CallSid} holds no audio samples; nothing is transcribed");
    }
}
