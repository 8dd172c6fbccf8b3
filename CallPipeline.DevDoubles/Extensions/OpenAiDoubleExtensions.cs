using CallPipeline.DevDoubles.Speech;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CallPipeline.DevDoubles.Extensions;

public static class OpenAiDoubleExtensions
{
    public static void AddOpenAiDouble(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton<SpokenTextRegistry>();
    }

    public static IEndpointRouteBuilder MapOpenAiDoubleApi(this IEndpointRouteBuilder app) => app;
}
