using CallPipeline.Twilio.Rest;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

public static class TwilioMediaClientExtensions
{
    /// <summary>
    /// Registers <see cref="TwilioMediaClient"/> (it needs <see cref="TwilioOptions"/>: AddTwilioOptions or AddTwilioRestClient) over the named HttpClient
    /// <c>twilio-media</c>: redirects off (followed by hand), no cookies, no client timeout and no resilience handler, since
    /// each caller sets its own deadlines and retries (the worker's budgeted download, the operator's playback).
    /// </summary>
    public static void AddTwilioMediaClient(this IHostApplicationBuilder builder)
    {
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental; it is the documented way to opt one client out.
        builder.Services.AddHttpClient(TwilioMediaClient.HttpClientName)
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
            .RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        builder.Services.AddSingleton<TwilioMediaClient>();
    }
}
