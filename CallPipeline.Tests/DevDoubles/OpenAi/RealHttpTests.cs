using System.ClientModel;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using CallPipeline.Tests.DevDoubles.OpenAi.Support;
using OpenAI.Audio;
using OpenAI.Chat;

namespace CallPipeline.Tests.DevDoubles.OpenAi;

/// <summary>The double on Kestrel, reached by the SDK's own HTTP stack exactly as the worker reaches it.</summary>
public sealed class RealHttpTests(TestAudio audio) : IClassFixture<TestAudio>, IAsyncLifetime
{
    private OpenAiDoubleHost _host = null!;

    public Task InitializeAsync()
    {
        _host = OpenAiDoubleHost.Start(onKestrel: true);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task The_sdk_transcribes_and_completes_over_real_http()
    {
        var sid = OpenAiDoubleHost.NewRecordingSid();
        _host.SpokenText.Register(sid, "אני צריך מנעולן בנתניה");

        var transcript = await _host.Audio("gpt-4o-transcribe").TranscribeAudioAsync(new MemoryStream(audio.Wav16kMono), $"{sid}.wav",
            new AudioTranscriptionOptions { ResponseFormat = AudioTranscriptionFormat.Simple, Language = "he" });
        var summary = await _host.Chat().CompleteChatAsync([new SystemChatMessage("Business name: Netanya Locks"), new UserChatMessage(transcript.Value.Text)]);

        Assert.Equal("אני צריך מנעולן בנתניה", transcript.Value.Text);
        Assert.Contains("Netanya Locks", summary.Value.Content[0].Text);
        Assert.Contains("מנעולן", summary.Value.Content[0].Text);
    }

    [Fact]
    public async Task An_oversized_upload_without_content_length_gets_openais_413_rather_than_a_reset()
    {
        var oversized = new byte[31_000_000];
        audio.Wav16kMono.AsSpan(0, 44).CopyTo(oversized);
        // A stream of unknown length makes HttpClient send the body chunked, so the double cannot refuse it up front,
        // and 31 MB passes Kestrel's own 30 MB body limit, which the double turns into OpenAI's answer.
        using var file = new StreamContent(new UnknownLengthStream(new MemoryStream(oversized)));
        using var content = new MultipartFormDataContent { { file, "file", "big.wav" }, { new StringContent("gpt-4o-transcribe"), "model" } };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/audio/transcriptions") { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _host.ApiKey);

        using var response = await _host.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.StartsWith("Maximum content size limit (26214400) exceeded", body.RootElement.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Verbose_json_to_gpt_4o_transcribe_fails_over_real_http_too()
    {
        var error = await Assert.ThrowsAsync<ClientResultException>(() => _host.Audio("gpt-4o-transcribe").TranscribeAudioAsync(
            new MemoryStream(audio.Wav16kMono), $"{OpenAiDoubleHost.NewRecordingSid()}.wav",
            new AudioTranscriptionOptions { ResponseFormat = AudioTranscriptionFormat.Verbose }));

        Assert.Equal(400, error.Status);
    }

    private sealed class UnknownLengthStream(Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
