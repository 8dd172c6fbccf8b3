using System.ClientModel;
using System.ClientModel.Primitives;
using OpenAI;

namespace CallPipeline.Worker.Ai;

public static class OpenAiClientFactory
{
    /// <summary>
    /// One client for the configured endpoint. Without a key (local runs against the double) a placeholder is sent;
    /// a real endpoint answers 401, which fails the job with that reason.
    /// </summary>
    public static OpenAIClient Create(OpenAiOptions options) =>
        new(
            new ApiKeyCredential(string.IsNullOrWhiteSpace(options.ApiKey) ? "no-key-configured" : options.ApiKey),
            new OpenAIClientOptions
            {
                Endpoint = options.Endpoint,
                NetworkTimeout = options.NetworkTimeout,
                RetryPolicy = new ClientRetryPolicy(options.MaxRetries),
            });
}
