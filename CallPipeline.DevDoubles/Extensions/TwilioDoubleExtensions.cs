using CallPipeline.DevDoubles.Speech;

namespace CallPipeline.DevDoubles.Extensions;

public static class TwilioDoubleExtensions
{
    public static void AddTwilioDouble(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<SpokenTextRegistry>();
    }

    public static IEndpointRouteBuilder MapTwilioDoubleApi(this IEndpointRouteBuilder app) => app;
}
