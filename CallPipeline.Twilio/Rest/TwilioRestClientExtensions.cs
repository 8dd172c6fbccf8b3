using CallPipeline.Twilio.Rest;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

public static class TwilioRestClientExtensions
{
    /// <summary>Binds <see cref="TwilioOptions"/> to the <c>Twilio</c> section and registers the typed <see cref="TwilioRestClient"/>.</summary>
    public static IHttpClientBuilder AddTwilioRestClient(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TwilioOptions>().Bind(builder.Configuration.GetSection(TwilioOptions.SectionName));
        return builder.Services.AddHttpClient<TwilioRestClient>();
    }
}
