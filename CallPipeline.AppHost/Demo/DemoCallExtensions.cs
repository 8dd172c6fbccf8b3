using CallPipeline.AppHost.Extensions;
using CallPipeline.AppHost.LocalRun;

namespace CallPipeline.AppHost.Demo;

internal static class DemoCallExtensions
{
    /// <summary>
    /// With <c>--demo-call</c>, once the graph is up, places one simulated inbound call to the demo business through
    /// the Twilio double and prints the processed call record, the webhook the receiver verified and where to see the call
    /// in the operator console.
    /// </summary>
    public static void AddDemoCall(
        this IDistributedApplicationBuilder builder,
        LocalRunOptions options,
        IResourceBuilder<ProjectResource> voice,
        IResourceBuilder<ProjectResource> console,
        IResourceBuilder<ProjectResource> receiver,
        DevDoubles devDoubles,
        IResourceBuilder<ParameterResource> operatorApiKey)
    {
        if (!options.DemoCall)
        {
            return;
        }
        builder.Eventing.Subscribe<GraphReadyEvent>(async (_, cancellationToken) =>
        {
            var doublesUrl = devDoubles.Resource?.GetEndpoint("http").Url;
            var demo = new DemoCall(
                voice.GetEndpoint("http").Url,
                console.GetEndpoint("http").Url,
                receiver.GetEndpoint("http").Url,
                devDoubles.ForTwilio ? doublesUrl : null,
                await operatorApiKey.Resource.GetValueAsync(cancellationToken) ?? "",
                devDoubles.ForOpenAi ? $"the OpenAI double at {doublesUrl}/v1" : "the configured OpenAI endpoint (openai-endpoint)");
            await demo.RunAsync(Console.Out, cancellationToken);
        });
    }
}
