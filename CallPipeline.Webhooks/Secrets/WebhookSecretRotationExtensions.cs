using CallPipeline.Webhooks.Secrets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.Hosting;

public static class WebhookSecretRotationExtensions
{
    /// <summary>Binds <c>Webhooks:SecretRotation</c> for <c>MapWebhookSecretApi</c>; the grace period must not be negative.</summary>
    public static void AddWebhookSecretRotation(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebhookSecretRotationOptions>().BindConfiguration(WebhookSecretRotationOptions.SectionName)
            .Validate(o => o.GracePeriod >= TimeSpan.Zero, "Webhooks:SecretRotation:GracePeriod must not be negative.")
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
    }
}
