extern alias devdoubles;

using System.ClientModel;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using CallPipeline.Tests.DevDoubles.OpenAi.Support;
using CallPipeline.Twilio.Audio;
using devdoubles::CallPipeline.DevDoubles.Speech;
using OpenAI.Audio;

namespace CallPipeline.Tests.DevDoubles.OpenAi;

/// <summary>POST /v1/audio/transcriptions through OpenAI's .NET SDK: answers like OpenAI, rejects what OpenAI rejects.</summary>
public sealed class TranscriptionTests(TestAudio audio) : IClassFixture<TestAudio>, IAsyncLifetime
{
    private const string SpokenText = "שלום, קוראים לי דני. אני צריך אינסטלטור בתל אביב מחר בבוקר, יש נזילה במטבח.";
    private OpenAiDoubleHost _host = null!;

    public Task InitializeAsync()
    {
        _host = OpenAiDoubleHost.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Json_transcription_returns_the_text_registered_for_the_recording_sid_in_the_file_name_and_logs_the_wav_facts()
    {
        var sid = OpenAiDoubleHost.NewRecordingSid();
        _host.SpokenText.Register(sid, SpokenText);

        var result = await _host.Audio("gpt-4o-transcribe").TranscribeAudioAsync(new MemoryStream(audio.Wav16kMono), $"{sid}.wav",
            new AudioTranscriptionOptions { ResponseFormat = AudioTranscriptionFormat.Simple, Language = "he", Prompt = "אינסטלטור, חשמלאי" });

        Assert.Equal(SpokenText, result.Value.Text);
        var request = Assert.Single(await _host.RequestsAsync());
        Assert.Equal(("audio/transcriptions", "gpt-4o-transcribe", "json", "he", 200), (request.Endpoint, request.Model, request.ResponseFormat, request.Language, request.Status));
        Assert.Equal("אינסטלטור, חשמלאי".Length, request.PromptLength);
        Assert.Equal(($"{sid}.wav", sid, audio.Wav16kMono.Length), (request.FileName, request.RecordingSid, (int)request.FileBytes!));
        Assert.Equal(("wav", 16000, 1, 16), (request.AudioFormat, request.SampleRate, request.Channels, request.BitsPerSample));
        Assert.InRange(request.DurationSeconds!.Value, 0.5, 30);
        Assert.Equal(SpokenText.Length, request.ResponseLength);
    }

    [Fact]
    public async Task Json_transcription_carries_token_usage_like_openai()
    {
        var sid = OpenAiDoubleHost.NewRecordingSid();
        _host.SpokenText.Register(sid, SpokenText);

        using var response = await PostRawAsync("gpt-4o-transcribe", audio.Wav16kMono, $"{sid}.wav", _host.ApiKey, "json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(SpokenText, body.RootElement.GetProperty("text").GetString());
        var usage = body.RootElement.GetProperty("usage");
        Assert.Equal("tokens", usage.GetProperty("type").GetString());
        Assert.True(usage.GetProperty("input_tokens").GetInt32() > 0);
        Assert.True(usage.GetProperty("input_token_details").GetProperty("audio_tokens").GetInt32() > 0);
        Assert.Equal(usage.GetProperty("input_tokens").GetInt32() + usage.GetProperty("output_tokens").GetInt32(), usage.GetProperty("total_tokens").GetInt32());
        Assert.StartsWith("req_", response.Headers.GetValues("x-request-id").Single());
    }

    [Fact]
    public async Task Text_format_answers_plain_text_that_the_sdk_reads()
    {
        var sid = OpenAiDoubleHost.NewRecordingSid();
        _host.SpokenText.Register(sid, SpokenText);

        var result = await _host.Audio("gpt-4o-mini-transcribe").TranscribeAudioAsync(new MemoryStream(audio.Wav16kMono), $"{sid}.wav",
            new AudioTranscriptionOptions { ResponseFormat = AudioTranscriptionFormat.Text, Language = "he" });

        Assert.Equal(SpokenText, result.Value.Text);
        Assert.Equal("text", Assert.Single(await _host.RequestsAsync()).ResponseFormat);
    }

    [Fact]
    public async Task Verbose_json_is_rejected_for_gpt_4o_transcribe_with_openais_400()
    {
        var error = await Assert.ThrowsAsync<ClientResultException>(() => _host.Audio("gpt-4o-transcribe").TranscribeAudioAsync(
            new MemoryStream(audio.Wav16kMono), $"{OpenAiDoubleHost.NewRecordingSid()}.wav",
            new AudioTranscriptionOptions { ResponseFormat = AudioTranscriptionFormat.Verbose, Language = "he" }));

        Assert.Equal(400, error.Status);
        Assert.Contains("response_format 'verbose_json' is not compatible with model 'gpt-4o-transcribe'. Use 'json' or 'text' instead.", error.Message);
        using var body = JsonDocument.Parse(error.GetRawResponse()!.Content);
        var detail = body.RootElement.GetProperty("error");
        Assert.Equal(("invalid_request_error", "response_format", "unsupported_value"),
            (detail.GetProperty("type").GetString(), detail.GetProperty("param").GetString(), detail.GetProperty("code").GetString()));
        var request = Assert.Single(await _host.RequestsAsync());
        Assert.Equal((400, "verbose_json", "unsupported_value"), (request.Status, request.ResponseFormat, request.Error));
    }

    [Fact]
    public async Task Verbose_json_is_accepted_for_whisper_1_with_language_duration_and_segments()
    {
        var sid = OpenAiDoubleHost.NewRecordingSid();
        _host.SpokenText.Register(sid, SpokenText);

        var result = await _host.Audio("whisper-1").TranscribeAudioAsync(new MemoryStream(audio.Wav16kMono), $"{sid}.wav",
            new AudioTranscriptionOptions { ResponseFormat = AudioTranscriptionFormat.Verbose, Language = "he" });

        Assert.Equal(SpokenText, result.Value.Text);
        Assert.Equal("hebrew", result.Value.Language);
        Assert.True(result.Value.Duration > TimeSpan.Zero);
        Assert.Equal(SpokenText, Assert.Single(result.Value.Segments).Text.Trim());
    }

    [Fact]
    public async Task A_channel_upload_hears_only_that_channels_words_within_it_with_whisper_segments_timed_from_the_upload()
    {
        var sid = OpenAiDoubleHost.NewRecordingSid();
        _host.SpokenText.Register(sid, "whole call", [
            new SpokenLine(2, 0.5, 2.0, "שלום, במה אפשר לעזור?"),
            new SpokenLine(1, 2.5, 5.0, "אני צריך אינסטלטור בחיפה"),
            new SpokenLine(2, 3.0, 4.0, "כן"),
            new SpokenLine(1, 8.0, 9.0, "תודה"),
        ]);
        var fourSeconds = WavInfo.Pcm16(16000, 1).CanonicalHeader(4 * 32_000).Concat(new byte[4 * 32_000]).ToArray();

        var verbose = await _host.Audio("whisper-1").TranscribeAudioAsync(new MemoryStream(fourSeconds), $"{sid}.ch1.at2300.wav",
            new AudioTranscriptionOptions { ResponseFormat = AudioTranscriptionFormat.Verbose, TimestampGranularities = AudioTimestampGranularities.Segment, Language = "he" });
        var json = await _host.Audio("gpt-4o-transcribe").TranscribeAudioAsync(new MemoryStream(fourSeconds), $"{sid}.ch2.at0.wav",
            new AudioTranscriptionOptions { ResponseFormat = AudioTranscriptionFormat.Simple, Language = "he" });

        // The SDK's own types read the segments: times from the upload's start, whisper's leading space in the text.
        Assert.Equal("אני צריך אינסטלטור בחיפה", verbose.Value.Text);
        var segment = Assert.Single(verbose.Value.Segments);
        Assert.Equal((0.2, 2.7), (Math.Round(segment.StartTime.TotalSeconds, 2), Math.Round(segment.EndTime.TotalSeconds, 2)));
        Assert.Equal((0, " אני צריך אינסטלטור בחיפה"), (segment.Id, segment.Text));
        Assert.Equal(4, verbose.Value.Duration!.Value.TotalSeconds, 2);
        Assert.Equal("שלום, במה אפשר לעזור? כן", json.Value.Text);
        var requests = await _host.RequestsAsync();
        Assert.Equal([(1, 2.3), (2, 0.0)], requests.Select(r => (r.RecordingChannel ?? 0, r.OffsetSeconds ?? -1)));
    }

    [Fact]
    public async Task Mp3_upload_is_accepted_and_logged_as_mp3()
    {
        var sid = OpenAiDoubleHost.NewRecordingSid();
        _host.SpokenText.Register(sid, SpokenText);

        var result = await _host.Audio("whisper-1").TranscribeAudioAsync(new MemoryStream(audio.Mp3), $"{sid}.mp3",
            new AudioTranscriptionOptions { ResponseFormat = AudioTranscriptionFormat.Simple, Language = "he" });

        Assert.Equal(SpokenText, result.Value.Text);
        var request = Assert.Single(await _host.RequestsAsync());
        Assert.Equal(("mp3", (int?)null), (request.AudioFormat, request.SampleRate));
    }

    [Fact]
    public async Task A_recording_the_double_does_not_know_transcribes_as_silence()
    {
        var result = await _host.Audio("gpt-4o-transcribe").TranscribeAudioAsync(new MemoryStream(audio.Wav16kMono), $"{OpenAiDoubleHost.NewRecordingSid()}.wav",
            new AudioTranscriptionOptions { ResponseFormat = AudioTranscriptionFormat.Simple, Language = "he" });

        Assert.Equal("", result.Value.Text);
    }

    [Fact]
    public async Task Parts_of_a_split_recording_give_the_text_on_part_1_and_silence_after_it()
    {
        var sid = OpenAiDoubleHost.NewRecordingSid();
        _host.SpokenText.Register(sid, SpokenText);
        var client = _host.Audio("gpt-4o-transcribe");
        var options = new AudioTranscriptionOptions { ResponseFormat = AudioTranscriptionFormat.Simple, Language = "he" };

        var first = await client.TranscribeAudioAsync(new MemoryStream(audio.Wav16kMono), $"{sid}.part1.wav", options);
        var second = await client.TranscribeAudioAsync(new MemoryStream(audio.Wav16kMono), $"{sid}.part2.wav", options);

        Assert.Equal((SpokenText, ""), (first.Value.Text, second.Value.Text));
        Assert.Equal([1, 2], (await _host.RequestsAsync()).Select(request => request.Part ?? 0));
    }

    [Fact]
    public async Task A_request_without_a_key_or_with_another_key_gets_401_in_openais_error_shape()
    {
        using var missing = await PostRawAsync("gpt-4o-transcribe", audio.Wav16kMono, "a.wav", apiKey: null, "json");
        using var wrong = await PostRawAsync("gpt-4o-transcribe", audio.Wav16kMono, "a.wav", apiKey: "sk-wrong", "json");

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (missing.StatusCode, wrong.StatusCode));
        using var missingBody = JsonDocument.Parse(await missing.Content.ReadAsStringAsync());
        var detail = missingBody.RootElement.GetProperty("error");
        Assert.StartsWith("You didn't provide an API key.", detail.GetProperty("message").GetString());
        Assert.Equal(JsonValueKind.Null, detail.GetProperty("param").ValueKind);
        var wrongBody = await wrong.Content.ReadAsStringAsync();
        Assert.Contains("\"code\":\"invalid_api_key\"", wrongBody);
        Assert.DoesNotContain("sk-wrong", wrongBody);
        var sdkError = await Assert.ThrowsAsync<ClientResultException>(() => _host.Audio("gpt-4o-transcribe", apiKey: "sk-other")
            .TranscribeAudioAsync(new MemoryStream(audio.Wav16kMono), "a.wav", new AudioTranscriptionOptions()));
        Assert.Equal(401, sdkError.Status);
    }

    [Fact]
    public async Task Bytes_that_are_not_audio_are_rejected_with_invalid_file_format()
    {
        var error = await Assert.ThrowsAsync<ClientResultException>(() => _host.Audio("gpt-4o-transcribe").TranscribeAudioAsync(
            new MemoryStream("this is a text file, not audio"u8.ToArray()), $"{OpenAiDoubleHost.NewRecordingSid()}.wav",
            new AudioTranscriptionOptions { ResponseFormat = AudioTranscriptionFormat.Simple }));

        Assert.Equal(400, error.Status);
        Assert.Contains("Invalid file format. Supported formats: ['flac', 'm4a', 'mp3', 'mp4', 'mpeg', 'mpga', 'oga', 'ogg', 'wav', 'webm']", error.Message);
    }

    [Fact]
    public async Task A_wav_header_without_audio_is_rejected_as_corrupted()
    {
        var headerOnly = audio.Wav16kMono[..20];

        var error = await Assert.ThrowsAsync<ClientResultException>(() => _host.Audio("gpt-4o-transcribe").TranscribeAudioAsync(
            new MemoryStream(headerOnly), "RE.wav", new AudioTranscriptionOptions()));

        Assert.Equal(400, error.Status);
        Assert.Contains("Audio file might be corrupted or unsupported", error.Message);
    }

    [Fact]
    public async Task An_upload_over_25_mib_is_rejected_with_413()
    {
        var oversized = new byte[26_214_400 + 1];
        audio.Wav16kMono.AsSpan(0, 44).CopyTo(oversized);

        var error = await Assert.ThrowsAsync<ClientResultException>(() => _host.Audio("gpt-4o-transcribe").TranscribeAudioAsync(
            new MemoryStream(oversized), $"{OpenAiDoubleHost.NewRecordingSid()}.wav", new AudioTranscriptionOptions()));

        Assert.Equal(413, error.Status);
        Assert.Contains("Maximum content size limit (26214400) exceeded", error.Message);
    }

    [Fact]
    public async Task The_25_mib_cap_is_on_the_whole_request_so_a_file_of_exactly_25_mib_is_over_it()
    {
        var exactly = new byte[26_214_400];
        audio.Wav16kMono.AsSpan(0, 44).CopyTo(exactly);

        var error = await Assert.ThrowsAsync<ClientResultException>(() => _host.Audio("whisper-1").TranscribeAudioAsync(
            new MemoryStream(exactly), $"{OpenAiDoubleHost.NewRecordingSid()}.wav", new AudioTranscriptionOptions()));

        Assert.Equal(413, error.Status);
    }

    [Fact]
    public async Task A_file_with_room_under_the_cap_for_the_multipart_framing_is_accepted()
    {
        var sid = OpenAiDoubleHost.NewRecordingSid();
        _host.SpokenText.Register(sid, SpokenText);
        var large = new byte[26_214_400 - 4096];
        audio.Wav16kMono.CopyTo(large, 0);

        var result = await _host.Audio("whisper-1").TranscribeAudioAsync(new MemoryStream(large), $"{sid}.wav",
            new AudioTranscriptionOptions { ResponseFormat = AudioTranscriptionFormat.Simple, Language = "he" });

        Assert.Equal(SpokenText, result.Value.Text);
        Assert.Equal(large.Length, (await _host.RequestsAsync()).Single().FileBytes);
    }

    [Fact]
    public async Task An_unknown_model_gets_openais_404_model_not_found()
    {
        var error = await Assert.ThrowsAsync<ClientResultException>(() => _host.Audio("whisper-2").TranscribeAudioAsync(
            new MemoryStream(audio.Wav16kMono), "a.wav", new AudioTranscriptionOptions()));

        Assert.Equal(404, error.Status);
        Assert.Contains("The model `whisper-2` does not exist or you do not have access to it.", error.Message);
    }

    [Fact]
    public async Task A_language_not_in_iso_639_1_form_is_rejected()
    {
        var error = await Assert.ThrowsAsync<ClientResultException>(() => _host.Audio("gpt-4o-transcribe").TranscribeAudioAsync(
            new MemoryStream(audio.Wav16kMono), "a.wav", new AudioTranscriptionOptions { Language = "hebrew" }));

        Assert.Equal(400, error.Status);
        Assert.Contains("Invalid language 'hebrew'. Language parameter must be specified in ISO-639-1 format.", error.Message);
    }

    [Fact]
    public async Task The_request_log_never_holds_the_key_the_audio_or_the_transcript()
    {
        var sid = OpenAiDoubleHost.NewRecordingSid();
        _host.SpokenText.Register(sid, SpokenText);
        await _host.Audio("gpt-4o-transcribe").TranscribeAudioAsync(new MemoryStream(audio.Wav16kMono), $"{sid}.wav",
            new AudioTranscriptionOptions { ResponseFormat = AudioTranscriptionFormat.Simple, Language = "he", Prompt = "secret-prompt-words" });

        var log = await _host.RequestsJsonAsync();

        Assert.Contains(sid, log);
        Assert.DoesNotContain(_host.ApiKey, log);
        Assert.DoesNotContain("Bearer", log, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("אינסטלטור", log);
        Assert.DoesNotContain("secret-prompt-words", log);
        Assert.DoesNotContain("RIFF", log);
    }

    private async Task<HttpResponseMessage> PostRawAsync(string model, byte[] file, string fileName, string? apiKey, string responseFormat)
    {
        using var content = new MultipartFormDataContent
        {
            { new ByteArrayContent(file), "file", fileName },
            { new StringContent(model), "model" },
            { new StringContent(responseFormat), "response_format" },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/audio/transcriptions") { Content = content };
        if (apiKey is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }
        return await _host.Http.SendAsync(request);
    }
}
