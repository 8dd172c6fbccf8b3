using CallPipeline.Worker.Ai;
using Microsoft.Extensions.Options;
using OpenAI;
using OpenAI.Audio;

namespace CallPipeline.Worker.Transcription;

/// <summary>One transcription request through the OpenAI SDK: response_format json (gpt-4o-transcribe accepts nothing else), temperature 0.</summary>
public sealed class OpenAiTranscriber(OpenAIClient client, IOptions<OpenAiOptions> options)
{
    public async Task<string> TranscribeAsync(ClipUpload upload, string model, string language, string? prompt, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.TranscriptionTimeout);
        var request = new AudioTranscriptionOptions
        {
            Language = language,
            Prompt = prompt,
            ResponseFormat = AudioTranscriptionFormat.Simple,
            Temperature = 0,
        };
        await using var audio = upload.Open();
        var result = await client.GetAudioClient(model).TranscribeAudioAsync(audio, upload.FileName, request, timeout.Token);
        return result.Value.Text ?? "";
    }
}
