using System.ComponentModel.DataAnnotations;

namespace CallPipeline.Worker.Recordings;

/// <summary>The <c>Twilio</c> section as far as the worker needs it: credentials for recording media and the host they may go to.</summary>
public sealed class TwilioMediaOptions
{
    public const string SectionName = "Twilio";

    public string? AccountSid { get; set; }

    public string? AuthToken { get; set; }

    /// <summary>Credentials are sent only to this host (api.twilio.com, or the Twilio double locally).</summary>
    [Required]
    public Uri ApiBaseUrl { get; set; } = new("https://api.twilio.com");
}
