using CallPipeline.Twilio.Rest;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

public static class TwilioOptionsExtensions
{
    /// <summary>Binds <see cref="TwilioOptions"/> to the <c>Twilio</c> section; an ApiBaseUrl that is not an absolute URL stops the start.</summary>
    public static void AddTwilioOptions(this IHostApplicationBuilder builder) =>
        builder.Services.AddOptions<TwilioOptions>().BindConfiguration(TwilioOptions.SectionName)
            .Validate(o => Uri.TryCreate(o.ApiBaseUrl, UriKind.Absolute, out _), "Twilio:ApiBaseUrl must be an absolute URL.")
            .ValidateOnStart();
}
