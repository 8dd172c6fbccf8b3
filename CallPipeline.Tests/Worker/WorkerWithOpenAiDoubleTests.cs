using CallPipeline.Data.Entities;
using CallPipeline.Tests.DevDoubles.OpenAi.Support;
using CallPipeline.Tests.Infrastructure;
using CallPipeline.Tests.Worker.Support;

namespace CallPipeline.Tests.Worker;

/// <summary>The worker against the team's OpenAI double (the devdoubles process on Kestrel): the contract of file names, formats and prompts.</summary>
[Trait("Category", "Infrastructure")]
public sealed class WorkerWithOpenAiDoubleTests(InfrastructureFixture infrastructure) : IClassFixture<InfrastructureFixture>
{
    [Fact]
    public async Task A_recorded_call_is_processed_with_the_text_the_caller_spoke_through_the_openai_double()
    {
        await using var env = await WorkerTestEnvironment.CreateAsync(infrastructure);
        await using var openAi = OpenAiDoubleHost.Start(onKestrel: true);
        // A name without a city or a service: the double's summary repeats the business name, and extraction reads the summary first.
        var business = await env.AddBusinessAsync("Dani & Sons");
        var call = await env.AddRecordedCallAsync(business.Id);
        const string spoken = "שלום, קוראים לי דני. יש לי נזילה בבית בחיפה ואני צריך אינסטלטור מחר בבוקר.";
        openAi.SpokenText.Register(call.RecordingSid!, spoken);
        await using var worker = WorkerHost.Start(env, "worker-a", new Dictionary<string, string>
        {
            ["OpenAI:Endpoint"] = new Uri(openAi.Http.BaseAddress!, "/v1").ToString(),
            ["OpenAI:ApiKey"] = openAi.ApiKey,
        });

        await env.EnqueueAsync(call);
        var saved = await env.WaitForStatusAsync(call.CallSid, PipelineStatus.Processed);

        Assert.Equal(spoken, saved.FinalTranscript);
        Assert.Equal(TranscriptSource.Recording, saved.TranscriptSource);
        Assert.StartsWith($"סיכום שיחה עבור {business.Name}:", saved.Summary);
        Assert.Equal("חיפה", saved.ExtractedCity);
        Assert.Equal("אינסטלטור", saved.ExtractedService);
        Assert.Equal("דני", saved.CustomerName);
        Assert.Equal(0.9, saved.ExtractionConfidence);
        Assert.Single(saved.WebhookDeliveries);

        var requests = await openAi.RequestsAsync();
        var transcription = Assert.Single(requests, r => r.Endpoint == "audio/transcriptions");
        Assert.Equal(("gpt-4o-transcribe", "json", "he", 200), (transcription.Model, transcription.ResponseFormat, transcription.Language, transcription.Status));
        Assert.Equal($"{call.RecordingSid}.wav", transcription.FileName);
        Assert.Equal(("wav", 16000, 1, 16), (transcription.AudioFormat, transcription.SampleRate, transcription.Channels, transcription.BitsPerSample));
        Assert.All(requests.Where(r => r.Endpoint == "chat/completions"), chat => Assert.Equal(200, chat.Status));
        Assert.Contains(requests, r => r.Endpoint == "chat/completions" && r.ResponseFormat == "json_schema");
    }
}
