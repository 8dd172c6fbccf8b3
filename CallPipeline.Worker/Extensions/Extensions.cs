using CallPipeline.Data;
using CallPipeline.Webhooks.Dispatch;
using CallPipeline.Webhooks.Signing;
using CallPipeline.Worker.Ai;
using CallPipeline.Worker.Audio;
using CallPipeline.Worker.Pipeline;
using CallPipeline.Worker.Queue;
using CallPipeline.Worker.Recordings;
using CallPipeline.Worker.Telemetry;
using CallPipeline.Worker.Transcription;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry.Instrumentation.Http;

namespace CallPipeline.Worker.Extensions;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<CallPipelineDbContext>("callsdb", configureDbContextOptions: options => options.UseCallPipelineConventions());
        // Keep retrying in the background when Redis is down at start (whatever the connection string says); callers see failures, not a crash.
        builder.AddRedisClient("cache", configureOptions: options => options.AbortOnConnectFail = false);
        builder.Services.TryAddSingleton(TimeProvider.System);
        // The service defaults export the worker's own source; the webhook dispatcher runs here too.
        builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing.AddSource(WebhookTraces.ActivitySourceName));
        // A business's webhook URL may carry a token in its path: the dispatcher's client spans keep only the origin.
        builder.Services.Configure<HttpClientTraceInstrumentationOptions>(options => options.EnrichWithHttpRequestMessage = (span, request) =>
        {
            if (request.Headers.Contains(StandardWebhookHeaders.Id) && request.RequestUri is { } url)
            {
                span.SetTag("url.full", url.GetLeftPart(UriPartial.Authority) + "/");
            }
        });

        builder.AddRecordingQueue();
        builder.AddRecordingPipeline();
    }

    /// <summary>
    /// The consumer of the recording-jobs stream, its reconciler (which also recovers from Redis losing its data), the
    /// lease on a call in processing and the queue's health check.
    /// </summary>
    public static void AddRecordingQueue(this IHostApplicationBuilder builder)
    {
        builder.AddRecordingJobStream();
        builder.Services.AddOptions<QueueOptions>().BindConfiguration(QueueOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<RecordingJobQueue>();
        builder.Services.AddSingleton<QueueHealth>();
        builder.Services.AddSingleton<StreamCheckSignal>();
        builder.Services.AddScoped<CallLease>();
        builder.Services.AddHealthChecks().AddCheck<QueueHealthCheck>("recording-queue", tags: ["ready"]);
        builder.Services.AddHostedService<RecordingJobConsumer>();
        builder.Services.AddHostedService<RecordingReconciler>();
    }

    /// <summary>The steps of a job and the clients they use: Twilio media over HTTP, ffmpeg, the OpenAI SDK.</summary>
    public static void AddRecordingPipeline(this IHostApplicationBuilder builder)
    {
        builder.AddTwilioOptions();
        builder.Services.AddOptions<OpenAiOptions>().BindConfiguration(OpenAiOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<DownloadOptions>().BindConfiguration(DownloadOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<AudioOptions>().BindConfiguration(AudioOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<TranscriptionOptions>().BindConfiguration(TranscriptionOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();

        // The downloader has its own budgeted retries for 404/429/5xx and per-request timeouts.
        builder.AddTwilioMediaClient();

        builder.Services.AddSingleton(sp => OpenAiClientFactory.Create(sp.GetRequiredService<IOptions<OpenAiOptions>>().Value));
        builder.Services.AddSingleton<OpenAiTranscriber>();
        builder.Services.AddSingleton<CallSummarizer>();
        builder.Services.AddSingleton<CallDetailsExtractor>();
        builder.Services.AddSingleton<FfmpegRunner>();
        builder.Services.AddSingleton<TwilioRecordingDownloader>();

        builder.Services.AddScoped<LoadCallStep>();
        builder.Services.AddScoped<FetchRecordingStep>();
        builder.Services.AddScoped<ConvertAudioStep>();
        builder.Services.AddScoped<TranscribeStep>();
        builder.Services.AddScoped<SummariseStep>();
        builder.Services.AddScoped<ExtractStep>();
        builder.Services.AddScoped<SaveResultStep>();
        // The save step wakes the webhook dispatcher, which runs in the worker (AddWebhookDispatcher registers the same one).
        builder.Services.TryAddSingleton<WebhookDispatchSignal>();
        builder.Services.AddScoped<CallProgress>();
        builder.Services.AddScoped<IRecordingJobHandler, RecordingJobProcessor>();
        builder.Services.AddSingleton<WorkerMetrics>();
    }
}
