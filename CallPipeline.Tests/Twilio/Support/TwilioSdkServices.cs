using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CallPipeline.Tests.Twilio.Support;

/// <summary>Twilio's SDK registered exactly as the services register it (<c>AddTwilioRestClient</c>), for one account and base URL.</summary>
internal static class TwilioSdkServices
{
    /// <param name="primaryHandler">A fake of Twilio's API behind the HttpClient; null for real HTTP.</param>
    public static ServiceProvider Create(string apiBaseUrl, string accountSid, string authToken, HttpMessageHandler? primaryHandler = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Twilio:AccountSid"] = accountSid,
            ["Twilio:AuthToken"] = authToken,
            ["Twilio:ApiBaseUrl"] = apiBaseUrl,
        });
        var http = builder.AddTwilioRestClient();
        if (primaryHandler is not null)
        {
            http.ConfigurePrimaryHttpMessageHandler(() => primaryHandler);
        }
        return builder.Services.BuildServiceProvider();
    }
}
