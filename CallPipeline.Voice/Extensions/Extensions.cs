using System.Text.Json;
using System.Text.Json.Serialization;
using CallPipeline.Data;
using CallPipeline.Twilio.Validation;
using CallPipeline.Voice.Apis;
using CallPipeline.Voice.Businesses;
using CallPipeline.Voice.Calls;
using CallPipeline.Voice.DeadLetters;
using CallPipeline.Voice.Conversation;
using CallPipeline.Voice.MediaStreams;
using CallPipeline.Voice.Operator;
using CallPipeline.Voice.Outbox;
using CallPipeline.Voice.QueueHealth;
using CallPipeline.Voice.Recordings;
using CallPipeline.Voice.Retention;
using CallPipeline.Voice.Telemetry;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;

namespace CallPipeline.Voice.Extensions;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        var maxDatabaseConnections = builder.Configuration.GetValue(
            $"{VoiceOptions.SectionName}:{nameof(VoiceOptions.MaxDatabaseConnections)}", VoiceOptions.DefaultMaxDatabaseConnections);
        // Read here, before options validation exists, because the client integration's settings need it at registration.
        if (maxDatabaseConnections < 1)
        {
            throw new InvalidOperationException(
                $"{VoiceOptions.SectionName}:{nameof(VoiceOptions.MaxDatabaseConnections)} must be at least 1; it is {maxDatabaseConnections}.");
        }
        builder.AddNpgsqlDbContext<CallPipelineDbContext>("callsdb",
            configureSettings: settings => settings.ConnectionString = DatabaseConnectionLimit.Apply(settings.ConnectionString, maxDatabaseConnections),
            configureDbContextOptions: options => options.UseCallPipelineConventions());
        // Keep retrying in the background when Redis is down at start (whatever the connection string says); callers see failures, not a crash.
        builder.AddRedisClient("cache", configureOptions: options => options.AbortOnConnectFail = false);
        builder.AddTwilioRestClient();
        builder.AddTwilioMediaClient();
        builder.AddWebhookSecretRotation();
        builder.AddRecordingJobStream();

        var services = builder.Services;
        services.AddOptions<VoiceOptions>().Bind(builder.Configuration.GetSection(VoiceOptions.SectionName));
        services.AddOptions<TwilioWebhookOptions>().Bind(builder.Configuration.GetSection(VoiceOptions.SectionName));
        services.AddOptions<TwilioFormLimits>().Bind(builder.Configuration.GetSection(VoiceOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<OperatorApiOptions>().Bind(builder.Configuration.GetSection(OperatorApiOptions.SectionName));

        services.AddSingleton<VoiceMetrics>();

        // Twilio's webhooks
        services.AddScoped<CallLogStore>();
        services.AddScoped<BusinessDirectory>();
        services.AddScoped<IncomingCallHandler>();
        services.AddScoped<CallStatusHandler>();
        services.AddScoped<RecordingStatusHandler>();
        services.AddSingleton<MediaStreamTokens>();
        services.AddSingleton<CallCapacity>();
        services.TryAddSingleton(TimeProvider.System);

        // Media streams
        services.AddSingleton<RecordingStarter>();
        services.AddSingleton<CallFinalizer>();
        services.AddSingleton<RecordingStoreQueue>();
        services.AddSingleton<RecordingFileWriter>();
        services.AddSingleton<StreamAdmission>();
        services.AddSingleton<StreamCallFactory>();
        // Each media message is a small read on one of many sockets. Running its continuation on the socket's I/O
        // thread, not after a hop through the thread pool, halves the wake-ups per frame and keeps frames moving on a
        // busy machine (docs/benchmarks.md). Safe here because no request handler blocks a thread: database and HTTP
        // calls are async, and the recordings' disk writes have their own thread.
        services.Configure<SocketTransportOptions>(options => options.UnsafePreferInlineScheduling = true);
        // Kestrel's memory pool counts every block rented and returned, which is about one of each per media frame:
        // 4 % of the socket thread's CPU at 500 calls (perf, 2026-12-03). The pool's other views (its size, what it
        // evicts) are not worth a frame's CPU on a gateway; the service's other ASP.NET Core metrics stay.
        services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddView("aspnetcore.memory_pool.*", MetricStreamConfiguration.Drop));
        services.AddSingleton<MediaStreamHandler>();
        services.AddSingleton<ICallConversationFactory, GreetingConversationFactory>();

        // Operator API
        services.AddScoped<OutboundCalls>();
        services.AddScoped<CallReprocessing>();
        services.AddScoped<BusinessEditor>();
        services.AddScoped<DeadLetterReplay>();
        services.AddScoped<RecordingPlayback>();

        // Retention and erasure
        services.AddOptions<RetentionOptions>().Bind(builder.Configuration.GetSection(RetentionOptions.SectionName));
        services.AddScoped<CallDataEraser>();
        services.AddScoped<CallErasure>();
        services.AddSingleton<RetentionSweep>();
        services.AddHostedService(sp => sp.GetRequiredService<RetentionSweep>());

        // Recording jobs: outbox to Redis stream
        services.AddSingleton<OutboxSignal>();
        services.AddHostedService<OutboxRelay>();
        services.TryAddSingleton(TimeProvider.System);

        // Queue gauges and health: measured on a timer, read by the gauges and /health
        services.AddSingleton<QueueMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<QueueMonitor>());
        services.AddHealthChecks()
            .AddCheck<RecordingQueueAgeHealthCheck>(RecordingQueueAgeHealthCheck.Name, HealthStatus.Degraded, ["ready"])
            .AddCheck<WebhookDeliveryAgeHealthCheck>(WebhookDeliveryAgeHealthCheck.Name, HealthStatus.Degraded, ["ready"]);

        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower)));
    }
}
