using CallPipeline.Twilio.Rest;
using CallPipeline.Twilio.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CallPipeline.Twilio.Validation;

/// <summary>
/// Endpoint filter for Twilio's form POSTs: X-Twilio-Signature over the public URL (base + path + query) and every form
/// field, compared in constant time. Anything else is 403 with one log line that names no secret.
/// </summary>
public sealed partial class TwilioSignatureFilter(
    IOptions<TwilioOptions> twilio, IOptions<TwilioWebhookOptions> webhook, ILogger<TwilioSignatureFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        var authToken = twilio.Value.AuthToken;
        var publicBaseUrl = webhook.Value.PublicBaseUrl;
        if (string.IsNullOrEmpty(authToken) || string.IsNullOrEmpty(publicBaseUrl))
        {
            LogRejected(logger, request.Path, "Twilio:AuthToken or the public base URL is not configured");
            return TypedResults.StatusCode(StatusCodes.Status403Forbidden);
        }

        var signature = request.Headers[TwilioSignature.HeaderName].ToString();
        if (string.IsNullOrEmpty(signature))
        {
            LogRejected(logger, request.Path, $"no {TwilioSignature.HeaderName} header");
            return TypedResults.StatusCode(StatusCodes.Status403Forbidden);
        }

        var form = request.HasFormContentType ? await request.ReadFormAsync(context.HttpContext.RequestAborted) : FormCollection.Empty;
        var url = TwilioRequestUrl.For(publicBaseUrl, request);
        if (!TwilioSignature.IsValid(authToken, url, TwilioRequestUrl.FormPairs(form), signature))
        {
            LogRejected(logger, request.Path, $"{TwilioSignature.HeaderName} does not match the request");
            return TypedResults.StatusCode(StatusCodes.Status403Forbidden);
        }

        return await next(context);
    }

    [LoggerMessage(1, LogLevel.Warning, "Rejected Twilio request to {Path} with 403: {Reason}")]
    private static partial void LogRejected(ILogger logger, PathString path, string reason);
}
