using CallPipeline.DevDoubles.Simulator;
using CallPipeline.DevDoubles.Simulator.Apis;
using CallPipeline.DevDoubles.Simulator.CallerSpeech;
using CallPipeline.DevDoubles.Speech;
using CallPipeline.DevDoubles.Twilio;
using CallPipeline.DevDoubles.Twilio.Apis;
using CallPipeline.DevDoubles.Twilio.Calls;
using CallPipeline.DevDoubles.Twilio.Recordings;
using CallPipeline.DevDoubles.Twilio.Webhooks;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CallPipeline.DevDoubles.Extensions;

public static class TwilioDoubleExtensions
{
    public static void AddTwilioDouble(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton<SpokenTextRegistry>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        // Not validated at start: the OpenAI double runs in this process too and must start without Twilio settings;
        // without them the REST double answers 401 and the simulator 503.
        builder.Services.AddOptions<TwilioDoubleOptions>().BindConfiguration(TwilioDoubleOptions.SectionName);
        builder.Services.AddOptions<DevDoublesOptions>().BindConfiguration(DevDoublesOptions.SectionName);
        builder.Services.AddOptions<SimulatorOptions>().BindConfiguration(SimulatorOptions.SectionName);

        builder.Services.AddSingleton<DataFolders>();
        builder.Services.AddSingleton<DoublePublicUrl>();
        builder.Services.AddSingleton<RecordingRegistry>();
        builder.Services.AddSingleton<RecordingMedia>();
        builder.Services.AddSingleton<SimulatedCalls>();
        builder.Services.AddSingleton<CallerSpeechSynthesizer>();
        builder.Services.AddSingleton<SimulatedCallRunner>();
        builder.Services.AddSingleton<CallSimulator>();
        builder.Services.AddSingleton<ICallCarrier>(sp => sp.GetRequiredService<CallSimulator>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<CallSimulator>());
        // Twilio gives a webhook 15 s and does not retry it, so this client stays outside the factory whose defaults
        // add retries that would hide a failing gateway.
        builder.Services.AddSingleton(sp => ActivatorUtilities.CreateInstance<TwilioWebhookClient>(sp,
            new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) }) { Timeout = TimeSpan.FromSeconds(15) }));
    }

    public static IEndpointRouteBuilder MapTwilioDoubleApi(this IEndpointRouteBuilder app)
    {
        app.MapTwilioRestApi();
        app.MapSimulatorApi();
        return app;
    }
}
