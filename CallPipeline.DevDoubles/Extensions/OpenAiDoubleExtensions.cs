using CallPipeline.DevDoubles.OpenAi;
using CallPipeline.DevDoubles.OpenAi.Apis;
using CallPipeline.DevDoubles.OpenAi.Audio;
using CallPipeline.DevDoubles.OpenAi.Auth;
using CallPipeline.DevDoubles.OpenAi.Faults;
using CallPipeline.DevDoubles.OpenAi.Requests;
using CallPipeline.DevDoubles.Speech;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CallPipeline.DevDoubles.Extensions;

public static partial class OpenAiDoubleExtensions
{
    public static void AddOpenAiDouble(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton<SpokenTextRegistry>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddOptions<OpenAiDoubleOptions>().BindConfiguration(OpenAiDoubleOptions.SectionName);
        builder.Services.AddSingleton<OpenAiRequestLog>();
        builder.Services.AddSingleton<OpenAiFaultInjector>();
        builder.Services.AddSingleton<SpokenTranscript>();
    }

    /// <summary>OpenAI's endpoints under <c>/v1</c> behind Bearer auth, and the double's control endpoints under <c>/v1/_double</c>.</summary>
    public static IEndpointRouteBuilder MapOpenAiDoubleApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/v1")
            .AddEndpointFilter<BearerKeyFilter>()
            .MapTranscriptionsApi()
            .MapChatCompletionsApi();
        app.MapGroup("/v1/_double").MapDoubleControlApi();

        if (string.IsNullOrEmpty(app.ServiceProvider.GetRequiredService<IOptions<OpenAiDoubleOptions>>().Value.ApiKey))
        {
            LogAnyKeyAccepted(app.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OpenAiDoubleExtensions).FullName!));
        }
        return app;
    }

    [LoggerMessage(1, LogLevel.Warning, "OpenAI double: OpenAI:ApiKey is not configured, so any Bearer key is accepted")]
    private static partial void LogAnyKeyAccepted(ILogger logger);
}
