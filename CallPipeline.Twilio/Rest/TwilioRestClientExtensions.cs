using CallPipeline.Twilio.Rest;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;

namespace Microsoft.Extensions.Hosting;

public static class TwilioRestClientExtensions
{
    /// <summary>
    /// Binds <see cref="TwilioOptions"/> to the <c>Twilio</c> section and registers the typed <see cref="TwilioRestClient"/>,
    /// whose POSTs are never retried: a retry after Twilio's 5xx could start a second recording or place a second call.
    /// </summary>
    public static IHttpClientBuilder AddTwilioRestClient(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TwilioOptions>().Bind(builder.Configuration.GetSection(TwilioOptions.SectionName));
        // RemoveAllResilienceHandlers (still experimental) is the library's way to replace the service defaults for one client.
#pragma warning disable EXTEXP0001
        var client = builder.Services.AddHttpClient<TwilioRestClient>().RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        client.AddStandardResilienceHandler(o => o.Retry.DisableForUnsafeHttpMethods());
        return client;
    }
}
