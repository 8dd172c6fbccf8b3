using System.Net.Http.Headers;
using System.Text;

namespace CallPipeline.Twilio.Rest;

/// <summary>The account the gateway acts as (configuration section <c>Twilio</c>).</summary>
public sealed class TwilioOptions
{
    public const string SectionName = "Twilio";
    public const string DefaultApiBaseUrl = "https://api.twilio.com";

    public string AccountSid { get; set; } = "";

    /// <summary>The primary auth token: signs Twilio's requests to us and authenticates ours to Twilio.</summary>
    public string AuthToken { get; set; } = "";

    /// <summary>Twilio's REST API, or a double that speaks it.</summary>
    public string ApiBaseUrl { get; set; } = DefaultApiBaseUrl;

    /// <summary>HTTP basic authentication as the account, for Twilio's API and recording media.</summary>
    public AuthenticationHeaderValue BasicAuthorization() =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AccountSid}:{AuthToken}")));
}
