using System.ClientModel;
using CallPipeline.Tests.DevDoubles.OpenAi.Support;
using CallPipeline.Tests.Support;
using OpenAI.Audio;
using OpenAI.Chat;

namespace CallPipeline.Tests.DevDoubles.OpenAi;

/// <summary>The double's own log lines: ids, models and lengths, never keys, prompts or what was said.</summary>
public sealed class LoggingTests(TestAudio audio) : IClassFixture<TestAudio>
{
    [Fact]
    public async Task Log_lines_name_requests_and_lengths_but_never_the_key_the_prompt_or_the_transcript()
    {
        const string spoken = "קוראים לי דני, אני צריך אינסטלטור בחיפה";
        var logs = new CapturedLogs();
        await using var host = OpenAiDoubleHost.Start(logs: logs);
        var sid = OpenAiDoubleHost.NewRecordingSid();
        host.SpokenText.Register(sid, spoken);

        await host.Audio("gpt-4o-transcribe").TranscribeAudioAsync(new MemoryStream(audio.Wav16kMono), $"{sid}.wav",
            new AudioTranscriptionOptions { ResponseFormat = AudioTranscriptionFormat.Simple, Language = "he", Prompt = "private-vocabulary" });
        await host.Chat().CompleteChatAsync([new SystemChatMessage("Business name: Haifa Pipes"), new UserChatMessage(spoken)]);
        await Assert.ThrowsAsync<ClientResultException>(() => host.Chat(apiKey: "sk-leaked-key").CompleteChatAsync([new UserChatMessage(spoken)]));

        var lines = logs.Lines;
        Assert.Contains(lines, line => line.Contains("transcribed") && line.Contains(sid) && line.Contains($"{spoken.Length} chars"));
        Assert.Contains(lines, line => line.Contains("completed chat") && line.Contains("Haifa Pipes"));
        Assert.Contains(lines, line => line.Contains("401") && line.Contains("invalid_api_key"));
        Assert.DoesNotContain(lines, line => line.Contains(host.ApiKey) || line.Contains("sk-leaked-key") || line.Contains("Bearer"));
        Assert.DoesNotContain(lines, line => line.Contains("private-vocabulary") || line.Contains("אינסטלטור") || line.Contains("דני"));
    }
}
