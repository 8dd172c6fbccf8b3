using CallPipeline.AppHost.Extensions;
using CallPipeline.Hosting;
using CallPipeline.Hosting.ApplicationModel;
using CallPipeline.Hosting.Eventing;
using Microsoft.Extensions.Configuration;

namespace CallPipeline.AppHost.Demo;

internal static class DemoCallExtensions
{
    public const string Switch = "demo-call";

    /// <summary>
    /// With <c>--demo-call</c>, once the graph is up, places one simulated inbound call to the demo business through
    /// the Twilio double and prints the processed call record and the webhook the receiver verified.
    /// </summary>
    public static void AddDemoCall(
        this IDistributedApplicationBuilder builder,
        IResourceBuilder<ProjectResource> voice,
        IResourceBuilder<ProjectResource> receiver,
        DevDoubles devDoubles,
        IResourceBuilder<ParameterResource> operatorApiKey,
        IResourceBuilder<ParameterResource> openAiEndpoint)
    {
        if (!builder.Configuration.GetValue<bool>(Switch))
        {
            return;
        }
        builder.Eventing.Subscribe<AfterResourcesCreatedEvent>(async (_, cancellationToken) =>
        {
            var doublesUrl = devDoubles.Resource?.GetEndpoint("http").Url;
            var demo = new DemoCall(
                voice.GetEndpoint("http").Url,
                receiver.GetEndpoint("http").Url,
                devDoubles.ForTwilio ? doublesUrl : null,
                operatorApiKey.Resource.Value,
                devDoubles.ForOpenAi ? $"the OpenAI double at {doublesUrl}/v1" : $"the OpenAI endpoint {openAiEndpoint.Resource.Value}");
            await demo.RunAsync(Console.Out, cancellationToken);
        });
    }
}
