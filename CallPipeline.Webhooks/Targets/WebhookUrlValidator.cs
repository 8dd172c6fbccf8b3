using System.Net;
using CallPipeline.Data.Entities;
using CallPipeline.Webhooks.Signing;

namespace CallPipeline.Webhooks.Targets;

/// <summary>
/// Rules for a business's webhook URLs, checked when they are set and again before each send:
/// absolute http(s); https outside Development; no loopback or private targets outside Development.
/// Host names are checked again when they resolve (<see cref="InternalAddressGuard"/>).
/// </summary>
public static class WebhookUrlValidator
{
    public const int MaxLength = 2048;

    /// <returns>Why the URL is refused, or null when it is acceptable.</returns>
    public static string? Validate(string? url, bool isDevelopment)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return "The URL is empty.";
        }

        if (url.Length > MaxLength)
        {
            return $"The URL is longer than {MaxLength} characters.";
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return "The URL must be an absolute http or https URL.";
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "The URL must not carry credentials; sign-in happens through the webhook signature.";
        }

        if (!string.IsNullOrEmpty(uri.Fragment))
        {
            return "The URL must not have a fragment.";
        }

        if (isDevelopment)
        {
            return null;
        }

        if (uri.Scheme != Uri.UriSchemeHttps)
        {
            return "The URL must use https.";
        }

        if (IsInternalHost(uri))
        {
            return "The URL must not point at a loopback or private network address.";
        }

        return null;
    }

    /// <summary>Every webhook URL of <paramref name="business"/> that is set and refused, by property name.</summary>
    public static Dictionary<string, string[]> ValidateBusiness(Business business, bool isDevelopment)
    {
        var errors = new Dictionary<string, string[]>();
        AddError(errors, nameof(Business.InboundWebhookUrl), business.InboundWebhookUrl, isDevelopment);
        AddError(errors, nameof(Business.OutboundWebhookUrl), business.OutboundWebhookUrl, isDevelopment);
        AddError(errors, nameof(Business.GenericWebhookUrl), business.GenericWebhookUrl, isDevelopment);
        if (business.WebhookSecret is not null && !WebhookSecret.TryParseList(business.WebhookSecret, out _))
        {
            errors[nameof(Business.WebhookSecret)] = [$"The secret must be '{WebhookSecret.Prefix}' followed by base64 of 24 to 64 bytes."];
        }
        return errors;
    }

    private static void AddError(Dictionary<string, string[]> errors, string name, string? url, bool isDevelopment)
    {
        if (url is not null && Validate(url, isDevelopment) is { } error)
        {
            errors[name] = [error];
        }
    }

    private static bool IsInternalHost(Uri uri)
    {
        if (uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6)
        {
            return IPAddress.TryParse(uri.IdnHost.Trim('[', ']'), out var address) && NetworkAddresses.IsInternal(address);
        }

        var host = uri.IdnHost.TrimEnd('.');
        // Single-label names resolve through the local search domain, which is the private network by definition.
        return !host.Contains('.')
            || host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
            || host.EndsWith(".internal", StringComparison.OrdinalIgnoreCase)
            || host.EndsWith(".local", StringComparison.OrdinalIgnoreCase);
    }
}
