using System.Security.Cryptography;

namespace CallPipeline.AppHost.Extensions;

internal static class WebhookReceiverExtensions
{
    /// <summary>
    /// The fake business endpoint. The migrator seeds the demo business with webhook URLs on it and a signing secret
    /// the receiver verifies with.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddWebhookReceiver(
        this IDistributedApplicationBuilder builder, string name, IResourceBuilder<ProjectResource> demoBusinessSeeder)
    {
        var secretValue = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
        var secret = builder.AddParameter("demo-webhook-secret", () => secretValue, secret: true);

        var receiver = builder.AddProject<Projects.CallPipeline_WebhookReceiver>(name)
            .WithHttpHealthCheck("/health")
            .WithEnvironment("Receiver__Secrets__demo-inbound", secret)
            .WithEnvironment("Receiver__Secrets__demo-outbound", secret);

        demoBusinessSeeder
            .WithEnvironment("DemoBusiness__WebhookReceiverUrl", receiver.GetEndpoint("http"))
            .WithEnvironment("DemoBusiness__WebhookSecret", secret);
        return receiver;
    }
}
