namespace CallPipeline.AppHost.Extensions;

/// <summary>The doubles resource, if started, and which real services it stands in for.</summary>
internal sealed record DevDoubles(IResourceBuilder<ProjectResource>? Resource, bool ForTwilio, bool ForOpenAi);

internal static class DevDoublesExtensions
{
    /// <summary>
    /// Starts the Twilio and OpenAI doubles where <see cref="ExternalServices"/> says a double stands in, and points
    /// the services at them. With real credentials set, nothing changes and no double starts.
    /// </summary>
    public static DevDoubles AddDevDoubles(
        this IDistributedApplicationBuilder builder,
        string name,
        ExternalServices services,
        IResourceBuilder<ProjectResource> voice,
        IResourceBuilder<ProjectResource> worker)
    {
        if (!services.UseTwilioDouble && !services.UseOpenAiDouble)
        {
            return new DevDoubles(null, false, false);
        }

        var doubles = builder.AddProject<Projects.CallPipeline_DevDoubles>(name)
            .WithHttpHealthCheck("/health");
        var doublesUrl = doubles.GetEndpoint("http");

        // Each double gets only the credentials it stands in for: a real key never reaches the doubles' process.
        if (services.UseTwilioDouble)
        {
            doubles
                .WithRequiredCommand("espeak-ng")
                .WithRequiredCommand("ffmpeg")
                .WithReference(voice)
                .WithEnvironment("Simulator__VoiceBaseUrl", voice.GetEndpoint("http"))
                // Recording URLs on the address the services call (the orchestrator's proxy), not the port the double
                // listens on behind it: the worker sends Twilio credentials only to its Twilio:ApiBaseUrl.
                .WithEnvironment("DevDoubles__PublicBaseUrl", doublesUrl)
                .WithEnvironment("Twilio__AccountSid", services.TwilioAccountSid)
                .WithEnvironment("Twilio__AuthToken", services.TwilioAuthToken);
            voice.WithEnvironment("Twilio__ApiBaseUrl", doublesUrl).WaitFor(doubles);
            worker.WithEnvironment("Twilio__ApiBaseUrl", doublesUrl).WaitFor(doubles);
        }
        if (services.UseOpenAiDouble)
        {
            doubles.WithEnvironment("OpenAI__ApiKey", services.OpenAiApiKey);
            worker.WithEnvironment("OpenAI__Endpoint", ReferenceExpression.Create($"{doublesUrl}/v1")).WaitFor(doubles);
        }
        return new DevDoubles(doubles, services.UseTwilioDouble, services.UseOpenAiDouble);
    }
}
