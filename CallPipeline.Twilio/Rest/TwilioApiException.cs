using System.Net;
using Twilio.Exceptions;

namespace CallPipeline.Twilio.Rest;

/// <summary>
/// Twilio answered with an error, or could not be reached (<see cref="StatusCode"/> null). <see cref="TwilioCode"/> is
/// Twilio's own code (e.g. 20404), when it sent one.
/// </summary>
public sealed class TwilioApiException(HttpStatusCode? statusCode, int? twilioCode, string message, Exception? innerException = null)
    : Exception(message, innerException)
{
    private const int MaxMessageLength = 300;

    public HttpStatusCode? StatusCode { get; } = statusCode;

    public int? TwilioCode { get; } = twilioCode;

    /// <summary>
    /// The SDK's exceptions in the project's terms. Its connection error names the request URL (with the account SID), so
    /// only the cause's message is kept; an error body that is not Twilio's JSON (a proxy's page) is cut short for logs.
    /// </summary>
    public static TwilioApiException From(TwilioException exception) => exception switch
    {
        ApiConnectionException { InnerException: { } cause } => new(null, null, $"Twilio could not be reached: {cause.Message}", exception),
        ApiException { Status: > 0 } api => new((HttpStatusCode)api.Status, api.Code == 0 ? null : api.Code,
            $"Twilio answered {api.Status}{(api.Code == 0 ? "" : $" (code {api.Code})")}: {api.Message}", exception),
        _ => new(null, null, Shorten(exception.Message), exception),
    };

    private static string Shorten(string message) => message.Length <= MaxMessageLength ? message : message[..MaxMessageLength] + "…";
}
