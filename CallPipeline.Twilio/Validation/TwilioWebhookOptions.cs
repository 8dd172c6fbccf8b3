namespace CallPipeline.Twilio.Validation;

/// <summary>Where Twilio reaches us (the service usually sits behind a proxy, so the request's own URL is not what Twilio signed).</summary>
public sealed class TwilioWebhookOptions
{
    /// <summary>The public scheme, host, optional port and path prefix, e.g. <c>https://voice.example.com</c>.</summary>
    public string PublicBaseUrl { get; set; } = "";

    /// <summary>The public URL of <paramref name="path"/> on this service, as Twilio is told to call it.</summary>
    public string Url(string path) => PublicBaseUrl.TrimEnd('/') + path;
}
