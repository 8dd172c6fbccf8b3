using System.Net;

namespace CallPipeline.Twilio.Rest;

/// <summary>Twilio answered with an error. <see cref="TwilioCode"/> is Twilio's own code (e.g. 20404), when it sent one.</summary>
public sealed class TwilioApiException(HttpStatusCode statusCode, int? twilioCode, string? twilioMessage)
    : Exception($"Twilio answered {(int)statusCode}{(twilioCode is null ? "" : $" (code {twilioCode})")}: {twilioMessage ?? "no message"}")
{
    public HttpStatusCode StatusCode { get; } = statusCode;

    public int? TwilioCode { get; } = twilioCode;
}
