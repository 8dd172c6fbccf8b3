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
    public static DevDoubles AddDevDoublesWhereCredentialsAreMissing(
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
        ReportExternalServices(useTwilioDouble, useOpenAiDouble, twilioAccountSid, publicBaseUrl);
        if (!useTwilioDouble && !useOpenAiDouble)
        {
            return new DevDoubles(null, false, false);
        }

        var doubles = builder.AddProject<Projects.CallPipeline_DevDoubles>(name)
            .WithHttpHealthCheck("/health");
        var doublesUrl = doubles.GetEndpoint("http");

        // Each double gets only the credentials it stands in for: a real key never reaches the doubles' process.
        if (useTwilioDouble)
        {
            doubles
                .WithRequiredProgram("espeak-ng", package: "espeak-ng")
                .WithRequiredProgram("ffmpeg", package: "ffmpeg")
                .WithReference(voice)
                .WithEnvironment("Simulator__VoiceBaseUrl", voice.GetEndpoint("http"))
                .WithEnvironment("Twilio__AccountSid", twilioAccountSid)
                .WithEnvironment("Twilio__AuthToken", twilioAuthToken);
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
            doubles.WithEnvironment("OpenAI__ApiKey", openAiApiKey);
            worker.WithEnvironment("OpenAI__Endpoint", ReferenceExpression.Create($"{doublesUrl}/v1")).WaitFor(doubles);
        }
        return new DevDoubles(doubles, useTwilioDouble, useOpenAiDouble);
    }

    /// <summary>Says at start which real services are used, and what real Twilio still needs, before the parameter check fails on it.</summary>
    private static void ReportExternalServices(
        bool useTwilioDouble,
        bool useOpenAiDouble,
        params IResourceBuilder<ParameterResource>[] realTwilioNeeds)
    {
        Console.WriteLine($"Twilio: {(useTwilioDouble ? "the Twilio double (twilio-auth-token is not set)" : "real Twilio (twilio-auth-token is set)")}");
        Console.WriteLine($"OpenAI: {(useOpenAiDouble ? "the OpenAI double (openai-api-key is not set)" : "the configured endpoint (openai-api-key is set)")}");
        var missing = realTwilioNeeds.Where(p => !p.IsConfigured()).Select(p => p.Resource.Name).ToList();
        if (!useTwilioDouble && missing.Count > 0)
        {
            Console.Error.WriteLine($"Real Twilio also needs {string.Join(" and ", missing)}; set them, or remove twilio-auth-token to use the Twilio double.");
        }
    }
}

/// <summary>The doubles resource, if started, and which real services it stands in for.</summary>
internal sealed record DevDoubles(IResourceBuilder<ProjectResource>? Resource, bool ForTwilio, bool ForOpenAi);
