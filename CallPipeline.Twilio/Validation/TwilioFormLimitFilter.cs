using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace CallPipeline.Twilio.Validation;

/// <summary>
/// Reads the form within <see cref="TwilioFormLimits"/> before anything else looks at the request: too large is 413,
/// too many fields, malformed or not UTF-8 is 400, each a ProblemDetails with a short reason. The form is then cached on the request
/// for the signature check and the endpoint.
/// </summary>
public sealed class TwilioFormLimitFilter(IOptions<TwilioFormLimits> limits) : IEndpointFilter
{
    private const char Replacement = '\uFFFD';

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var request = http.Request;
        var max = limits.Value;
        if (request.ContentLength > max.MaxFormBytes)
        {
            return TooLarge(max);
        }
        // Also bounds bodies without a Content-Length (chunked), and the JSON bodies the signature check buffers.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = max.MaxFormBytes;
        }
        if (!request.HasFormContentType)
        {
            return await next(context);
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(
                new FormOptions
                {
                    ValueCountLimit = max.MaxFormFields,
                    KeyLengthLimit = max.MaxFormBytes,
                    ValueLengthLimit = max.MaxFormBytes,
                    MultipartBodyLengthLimit = max.MaxFormBytes,
                    BufferBodyLengthLimit = max.MaxFormBytes,
                },
                http.RequestAborted);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(max);
        }
        catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException)
        {
            // The reader's own message names the limit that was hit ("Form value count limit 256 exceeded.") and no data.
            return TypedResults.Problem(title: "Malformed form", detail: ex.Message, statusCode: StatusCodes.Status400BadRequest);
        }
        // The reader decodes bytes that are not UTF-8 to U+FFFD; Twilio sends UTF-8, so such a form is not Twilio's.
        if (form.Any(field => field.Key.Contains(Replacement) || field.Value.Any(value => value?.Contains(Replacement) == true)))
        {
            return TypedResults.Problem(title: "Malformed form", detail: "The form is not valid UTF-8.", statusCode: StatusCodes.Status400BadRequest);
        }
        return await next(context);
    }

    private static ProblemHttpResult TooLarge(TwilioFormLimits max) =>
        TypedResults.Problem(title: "Form too large", detail: $"The form is larger than {max.MaxFormBytes} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge);
}
