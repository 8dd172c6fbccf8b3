using CallPipeline.Twilio.Rest;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Twilio.Clients;

namespace Microsoft.Extensions.Hosting;

public static class TwilioRestClientExtensions
{
    /// <summary>The IHttpClientFactory client the SDK sends through.</summary>
    public const string HttpClientName = "twilio-rest";

    /// <summary>
    /// Binds <see cref="TwilioOptions"/> (<see cref="TwilioOptionsExtensions.AddTwilioOptions"/>) and registers Twilio's SDK client
    /// (<see cref="ITwilioRestClient"/>, basic auth AccountSid:AuthToken, <see cref="TwilioOptions.ApiBaseUrl"/>) over the
    /// named HttpClient, and <see cref="TwilioCallsClient"/>. POSTs are never retried: a retry after Twilio's 5xx could
    /// start a second recording or place a second call.
    /// </summary>
    public static IHttpClientBuilder AddTwilioRestClient(this IHostApplicationBuilder builder)
    {
        builder.AddTwilioOptions();
        // RemoveAllResilienceHandlers (still experimental) is the library's way to replace the service defaults for one client.
#pragma warning disable EXTEXP0001
        var client = builder.Services.AddHttpClient(HttpClientName).RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        client.AddStandardResilienceHandler(o => o.Retry.DisableForUnsafeHttpMethods());

        // Transient, like a typed HttpClient: the SDK's adapter keeps the last request and response it handled.
        builder.Services.AddTransient<ITwilioRestClient>(services =>
        {
            var options = services.GetRequiredService<IOptions<TwilioOptions>>().Value;
            var http = services.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName);
            return new TwilioRestClient(options.AccountSid, options.AuthToken, httpClient: new TwilioApiHttpClient(http, new Uri(options.ApiBaseUrl)));
        });
        builder.Services.AddTransient<TwilioCallsClient>();
        return client;
    }
}
