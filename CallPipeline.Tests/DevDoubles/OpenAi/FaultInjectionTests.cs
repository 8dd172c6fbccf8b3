using System.ClientModel;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using CallPipeline.Tests.DevDoubles.OpenAi.Support;
using OpenAI.Audio;
using OpenAI.Chat;

namespace CallPipeline.Tests.DevDoubles.OpenAi;

/// <summary>Faults injected through /v1/_double/faults or configuration, so a caller's retries and model fallback can be proven.</summary>
public sealed class FaultInjectionTests(TestAudio audio) : IClassFixture<TestAudio>, IAsyncLifetime
{
    private const string SpokenText = "אני צריך חשמלאי בירושלים";
    private OpenAiDoubleHost _host = null!;

    public Task InitializeAsync()
    {
        _host = OpenAiDoubleHost.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task An_injected_500_fails_gpt_4o_transcribe_while_whisper_1_still_answers()
    {
        var sid = RegisterRecording(_host);
        await _host.AddFaultAsync(new { model = "gpt-4o-transcribe", endpoint = "audio/transcriptions", count = 1, statusCode = 500 });

        var primary = await Assert.ThrowsAsync<ClientResultException>(() => TranscribeAsync(_host, "gpt-4o-transcribe", sid));
        var fallback = await TranscribeAsync(_host, "whisper-1", sid);

        Assert.Equal(500, primary.Status);
        Assert.Equal(SpokenText, fallback);
        var requests = await _host.RequestsAsync();
        Assert.Equal([("gpt-4o-transcribe", 500, true), ("whisper-1", 200, false)], requests.Select(r => (r.Model!, r.Status, r.FaultInjected)));
        Assert.Empty(await _host.Http.GetFromJsonAsync<List<object>>("/v1/_double/faults") ?? []);
    }

    [Fact]
    public async Task A_429_with_retry_after_is_retried_by_the_sdk_which_then_succeeds()
    {
        var sid = RegisterRecording(_host);
        await _host.AddFaultAsync(new { model = "gpt-4o-transcribe", count = 1, statusCode = 429, retryAfterSeconds = 1 });

        var text = await TranscribeAsync(_host, "gpt-4o-transcribe", sid, maxRetries: 3);

        Assert.Equal(SpokenText, text);
        var requests = await _host.RequestsAsync();
        Assert.Equal([(429, "rate_limit_exceeded"), (200, null)], requests.Select(r => (r.Status, r.Error)));
    }

    [Fact]
    public async Task A_delay_fault_slows_the_answer_without_failing_it()
    {
        var sid = RegisterRecording(_host);
        await _host.AddFaultAsync(new { endpoint = "audio/transcriptions", delay = "00:00:00.500" });
        var stopwatch = Stopwatch.StartNew();

        var text = await TranscribeAsync(_host, "gpt-4o-transcribe", sid);

        Assert.Equal(SpokenText, text);
        Assert.True(stopwatch.Elapsed >= TimeSpan.FromMilliseconds(450), $"answered after {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task Faults_from_configuration_apply_from_start_to_their_model_and_endpoint_until_cleared()
    {
        await using var host = OpenAiDoubleHost.Start(new Dictionary<string, string>
        {
            ["OpenAI:Double:Faults:0:Model"] = "gpt-4o-mini",
            ["OpenAI:Double:Faults:0:Endpoint"] = "chat/completions",
            ["OpenAI:Double:Faults:0:Count"] = "0",
            ["OpenAI:Double:Faults:0:StatusCode"] = "503",
        });

        var first = await Assert.ThrowsAsync<ClientResultException>(() => host.Chat().CompleteChatAsync([new UserChatMessage("hi")]));
        var second = await Assert.ThrowsAsync<ClientResultException>(() => host.Chat().CompleteChatAsync([new UserChatMessage("hi")]));
        var otherModel = await host.Chat("gpt-4o").CompleteChatAsync([new UserChatMessage("hi")]);
        using var cleared = await host.Http.DeleteAsync("/v1/_double/faults");
        var afterClearing = await host.Chat().CompleteChatAsync([new UserChatMessage("hi")]);

        Assert.Equal((503, 503), (first.Status, second.Status));
        Assert.Equal(ChatFinishReason.Stop, otherModel.Value.FinishReason);
        Assert.Equal(ChatFinishReason.Stop, afterClearing.Value.FinishReason);
    }

    [Fact]
    public async Task A_fault_with_an_invalid_status_is_refused()
    {
        using var response = await _host.Http.PostAsJsonAsync("/v1/_double/faults", new { statusCode = 200 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private string RegisterRecording(OpenAiDoubleHost host)
    {
        var sid = OpenAiDoubleHost.NewRecordingSid();
        host.SpokenText.Register(sid, SpokenText);
        return sid;
    }

    private async Task<string> TranscribeAsync(OpenAiDoubleHost host, string model, string sid, int maxRetries = 0)
    {
        var result = await host.Audio(model, maxRetries: maxRetries).TranscribeAudioAsync(new MemoryStream(audio.Wav16kMono), $"{sid}.wav",
            new AudioTranscriptionOptions { ResponseFormat = AudioTranscriptionFormat.Simple, Language = "he" });
        return result.Value.Text;
    }
}
