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

        var url = TwilioRequestUrl.For(webhook.Value, request);
        if (!await IsValidAsync(request, authToken, url, signature, context.HttpContext.RequestAborted))
        {
            LogRejected(logger, request.Path, $"{TwilioSignature.HeaderName} does not match the request");
            return TypedResults.StatusCode(StatusCodes.Status403Forbidden);
        }

        return await next(context);
    }

    /// <summary>Forms are signed field by field; any other body (JSON) through the bodySHA256 query parameter.</summary>
    private static async Task<bool> IsValidAsync(HttpRequest request, string authToken, string url, string signature, CancellationToken cancellationToken)
    {
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken);
            return TwilioSignature.IsValid(authToken, url, TwilioRequestUrl.FormPairs(form), signature);
        }
        if (request.ContentLength is null or 0 && !request.Headers.ContainsKey("Transfer-Encoding"))
        {
            return TwilioSignature.IsValid(authToken, url, [], signature);
        }
        // The endpoint may read the body again after validation.
        request.EnableBuffering();
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, cancellationToken);
        request.Body.Position = 0;
        return TwilioSignature.IsValidJsonBody(authToken, url, body.GetBuffer().AsSpan(0, (int)body.Length), signature);
    }

    [LoggerMessage(1, LogLevel.Warning, "Rejected Twilio request to {Path} with 403: {Reason}")]
    private static partial void LogRejected(ILogger logger, PathString path, string reason);
}
