using System.Security.Cryptography;
using CallPipeline.Hosting;
using CallPipeline.Hosting.ApplicationModel;

namespace CallPipeline.AppHost.Extensions;

internal static class DevDoublesExtensions
{
    /// <summary>
    /// Starts the Twilio and OpenAI doubles when their credentials are not configured, and points the services at
    /// them with generated local credentials. With real credentials set, nothing changes and no double starts.
    /// </summary>
    public static void AddDevDoublesWhereCredentialsAreMissing(
        this IDistributedApplicationBuilder builder,
        string name,
        IResourceBuilder<ProjectResource> voice,
        IResourceBuilder<ProjectResource> worker,
        IResourceBuilder<ParameterResource> twilioAccountSid,
        IResourceBuilder<ParameterResource> twilioAuthToken,
        IResourceBuilder<ParameterResource> publicBaseUrl,
        IResourceBuilder<ParameterResource> openAiApiKey)
    {
        var useTwilioDouble = !twilioAuthToken.IsConfigured();
        var useOpenAiDouble = !openAiApiKey.IsConfigured();
        if (!useTwilioDouble && !useOpenAiDouble)
        {
            return;
        }

        var doubles = builder.AddProject<Projects.CallPipeline_DevDoubles>(name)
            .WithHttpHealthCheck("/health")
            .WithRequiredProgram("espeak-ng", package: "espeak-ng")
            .WithReference(voice)
            .WithEnvironment("Simulator__VoiceBaseUrl", voice.GetEndpoint("http"))
            .WithEnvironment("Twilio__AccountSid", twilioAccountSid)
            .WithEnvironment("Twilio__AuthToken", twilioAuthToken);
        var doublesUrl = doubles.GetEndpoint("http");

        if (useTwilioDouble)
        {
            twilioAccountSid.WithLocalDefault(() => "AC" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
            twilioAuthToken.WithLocalDefault(() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
            // The double posts to the gateway's local URL and signs it; the gateway validates against the same URL.
            publicBaseUrl.WithLocalDefault(() => voice.GetEndpoint("http").Url);
            voice.WithEnvironment("Twilio__ApiBaseUrl", doublesUrl).WaitFor(doubles);
            worker.WithEnvironment("Twilio__ApiBaseUrl", doublesUrl).WaitFor(doubles);
        }
        if (useOpenAiDouble)
        {
            openAiApiKey.WithLocalDefault(() => "sk-local-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)));
            worker.WithEnvironment("OpenAI__Endpoint", ReferenceExpression.Create($"{doublesUrl}/v1")).WaitFor(doubles);
        }
    }
}
