using Microsoft.AspNetCore.Http;

namespace CallPipeline.Twilio.Validation;

/// <summary>The URL Twilio requested, rebuilt from the configured public base URL rather than from what the proxy forwarded.</summary>
public static class TwilioRequestUrl
{
    public static string For(TwilioWebhookOptions options, HttpRequest request) =>
        options.Url(request.Path.ToUriComponent() + request.QueryString.ToUriComponent());

    /// <summary>The <c>ws://</c> or <c>wss://</c> form of the public base URL, as written in a <c>&lt;Stream url&gt;</c>.</summary>
    public static string WebSocketBase(string publicBaseUrl)
    {
        var trimmed = publicBaseUrl.TrimEnd('/');
        if (trimmed.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            return "wss://" + trimmed["https://".Length..];
        }
        if (trimmed.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            return "ws://" + trimmed["http://".Length..];
        }
        throw new ArgumentException("The public base URL must start with http:// or https://.", nameof(publicBaseUrl));
    }

    /// <summary>Every form field as a name/value pair, repeated names included (the signature covers each distinct value).</summary>
    public static IEnumerable<KeyValuePair<string, string>> FormPairs(IFormCollection form)
    {
        foreach (var (name, values) in form)
        {
            foreach (var value in values)
            {
                yield return new KeyValuePair<string, string>(name, value ?? "");
            }
        }
    }
}
