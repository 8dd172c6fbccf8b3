using CallPipeline.Webhooks.Targets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.Hosting;

public static class WebhookDispatcherExtensions
{
    /// <summary>
    /// The webhook dispatcher as a hosted service, configured from <c>Webhooks:Dispatcher</c>.
    /// Needs the <c>CallPipelineDbContext</c> registered by the host.
    /// </summary>
    public static void AddWebhookDispatcher(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<CallPipeline.Webhooks.Dispatch.WebhookDispatcherOptions>()
            .BindConfiguration(CallPipeline.Webhooks.Dispatch.WebhookDispatcherOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);

        var guardInternalAddresses = !builder.Environment.IsDevelopment();
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental; it is the documented way to opt one client out.
        builder.Services.AddHttpClient(CallPipeline.Webhooks.Dispatch.WebhookSender.HttpClientName)
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                // A 3xx is the endpoint's failure to report; following it once turned POST into GET.
                AllowAutoRedirect = false,
                UseCookies = false,
                // Re-resolve names now and then, so the internal-address guard sees current DNS.
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                ConnectCallback = guardInternalAddresses ? InternalAddressGuard.ConnectToPublicAddressAsync : null,
            })
            // The retry schedule (minutes to hours, recorded per attempt) is the dispatcher's; the standard
            // resilience handler from the service defaults would add hidden, unrecorded retries and its own timeouts.
            .RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001

        builder.Services.AddSingleton<CallPipeline.Webhooks.Dispatch.WebhookSender>();
        builder.Services.TryAddSingleton<CallPipeline.Webhooks.Dispatch.WebhookDispatchSignal>();
        builder.Services.AddScoped<CallPipeline.Webhooks.Dispatch.WebhookDeliveryStore>();
        builder.Services.AddHostedService<CallPipeline.Webhooks.Dispatch.WebhookDispatcher>();
    }
}
