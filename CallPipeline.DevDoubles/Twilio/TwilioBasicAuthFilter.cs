using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace CallPipeline.DevDoubles.Twilio;

/// <summary>
/// HTTP Basic auth with AccountSid:AuthToken on every REST and media request, as Twilio enforces it (media too, with
/// "Enforce HTTP Auth on Media URLs"). A request for another account's path is unknown to this account: 404.
/// </summary>
public sealed partial class TwilioBasicAuthFilter(IOptionsMonitor<TwilioDoubleOptions> options, ILogger<TwilioBasicAuthFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var account = options.CurrentValue;
        if (!HasValidCredentials(http.Request.Headers.Authorization, account))
        {
            LogRejected(logger, http.Request.Path);
            http.Response.Headers.WWWAuthenticate = "Basic realm=\"Twilio API\"";
            return TwilioApiError.Unauthorized().ToResult();
        }
        if (http.Request.RouteValues["accountSid"] is string pathAccount && !string.Equals(pathAccount, account.AccountSid, StringComparison.Ordinal))
        {
            return TwilioApiError.NotFound(http.Request.Path).ToResult();
        }
        return await next(context);
    }

    private static bool HasValidCredentials(string? header, TwilioDoubleOptions account)
    {
        if (!AuthenticationHeaderValue.TryParse(header, out var parsed)
            || !string.Equals(parsed.Scheme, "Basic", StringComparison.OrdinalIgnoreCase)
            || parsed.Parameter is null)
        {
            return false;
        }
        byte[] presented;
        try
        {
            presented = Convert.FromBase64String(parsed.Parameter);
        }
        catch (FormatException)
        {
            return false;
        }
        var expected = Encoding.UTF8.GetBytes($"{account.AccountSid}:{account.AuthToken}");
        return account.IsConfigured && CryptographicOperations.FixedTimeEquals(presented, expected);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Twilio double: request to {Path} without valid basic auth; answered 401")]
    private static partial void LogRejected(ILogger logger, string path);
}
