using CallPipeline.WebhookReceiver.Faults;
using CallPipeline.WebhookReceiver.Hooks;

namespace CallPipeline.WebhookReceiver.Extensions;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ReceiverOptions>().BindConfiguration(ReceiverOptions.SectionName).ValidateOnStart();
        builder.Services.AddOptions<FaultSettings>().BindConfiguration(FaultSettings.SectionName);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ReceivedWebhookStore>();
        builder.Services.AddSingleton<HookSecrets>();
        builder.Services.AddSingleton<FaultInjector>();
    }
}
