using System.Security.Cryptography;

namespace CallPipeline.AppHost.Extensions;

/// <summary>The Twilio and OpenAI credentials the services use, and whether local doubles stand in for the real services.</summary>
internal sealed record ExternalServices(
    IResourceBuilder<ParameterResource> TwilioAccountSid,
    IResourceBuilder<ParameterResource> TwilioAuthToken,
    IResourceBuilder<ParameterResource> OpenAiApiKey,
    bool UseTwilioDouble,
    bool UseOpenAiDouble);

internal static class ExternalServicesExtensions
{
    private const string OpenAiDefaultEndpoint = "https://api.openai.com/v1";

    /// <summary>
    /// Twilio and OpenAI parameters for the voice gateway and the worker. Publishing always asks for the real
    /// credentials. A local run without <c>twilio-auth-token</c> (or <c>openai-api-key</c>) uses the double instead,
    /// with generated credentials that exist for that run only.
    /// </summary>
    public static ExternalServices AddExternalServices(
        this IDistributedApplicationBuilder builder, IResourceBuilder<ProjectResource> voice, IResourceBuilder<ProjectResource> worker)
    {
        var useTwilioDouble = builder.ExecutionContext.IsRunMode && !builder.HasParameterValue("twilio-auth-token");
        var useOpenAiDouble = builder.ExecutionContext.IsRunMode && !builder.HasParameterValue("openai-api-key");

        var accountSid = useTwilioDouble
            ? builder.AddRunOnlySecret("twilio-account-sid", "AC" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)))
            : builder.AddParameter("twilio-account-sid", secret: true);
        var authToken = useTwilioDouble
            ? builder.AddRunOnlySecret("twilio-auth-token", Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)))
            : builder.AddParameter("twilio-auth-token", secret: true);
        voice.WithEnvironment("Twilio__AccountSid", accountSid).WithEnvironment("Twilio__AuthToken", authToken);
        worker.WithEnvironment("Twilio__AccountSid", accountSid).WithEnvironment("Twilio__AuthToken", authToken);
        if (useTwilioDouble)
        {
            // The double posts to the gateway's local URL and signs it; the gateway validates against the same URL.
            voice.WithEnvironment("Voice__PublicBaseUrl", voice.GetEndpoint("http"));
        }
        else
        {
            voice.WithEnvironment("Voice__PublicBaseUrl", builder.AddParameter("voice-public-base-url"));
        }

        var openAiApiKey = useOpenAiDouble
            ? builder.AddRunOnlySecret("openai-api-key", "sk-local-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)))
            : builder.AddParameter("openai-api-key", secret: true);
        worker.WithEnvironment("OpenAI__ApiKey", openAiApiKey);
        if (!useOpenAiDouble)
        {
            worker.WithEnvironment("OpenAI__Endpoint", builder.AddParameter("openai-endpoint", OpenAiDefaultEndpoint, publishValueAsDefault: true));
        }

        Report(builder, useTwilioDouble, useOpenAiDouble);
        return new ExternalServices(accountSid, authToken, openAiApiKey, useTwilioDouble, useOpenAiDouble);
    }

    private static bool HasParameterValue(this IDistributedApplicationBuilder builder, string name) =>
        !string.IsNullOrEmpty(builder.Configuration[$"Parameters:{name}"]);

    /// <summary>A secret made up for this run: never persisted, never published.</summary>
    private static IResourceBuilder<ParameterResource> AddRunOnlySecret(this IDistributedApplicationBuilder builder, string name, string value) =>
        builder.AddParameter(name, () => value, secret: true);

    /// <summary>Says at start which real services are used, and what real Twilio still needs.</summary>
    private static void Report(IDistributedApplicationBuilder builder, bool useTwilioDouble, bool useOpenAiDouble)
    {
        if (builder.ExecutionContext.IsPublishMode)
        {
            return;
        }
        Console.WriteLine($"Twilio: {(useTwilioDouble ? "the Twilio double (twilio-auth-token is not set)" : "real Twilio (twilio-auth-token is set)")}");
        Console.WriteLine($"OpenAI: {(useOpenAiDouble ? "the OpenAI double (openai-api-key is not set)" : "the configured endpoint (openai-api-key is set)")}");
        var missing = new[] { "twilio-account-sid", "voice-public-base-url" }.Where(name => !builder.HasParameterValue(name)).ToList();
        if (!useTwilioDouble && missing.Count > 0)
        {
            Console.Error.WriteLine($"Real Twilio also needs {string.Join(" and ", missing)}; set them, or remove twilio-auth-token to use the Twilio double.");
        }
    }
}
