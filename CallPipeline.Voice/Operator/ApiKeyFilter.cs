using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace CallPipeline.Voice.Operator;

/// <summary>
/// The operator API's key check: header X-Api-Key equal to OperatorApi:ApiKey, compared in constant time.
/// With no key configured nothing gets through.
/// </summary>
public sealed partial class ApiKeyFilter(IOptions<OperatorApiOptions> options, ILogger<ApiKeyFilter> logger) : IEndpointFilter
{
    public const string HeaderName = "X-Api-Key";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var expected = Encoding.UTF8.GetBytes(options.Value.ApiKey);
        var given = Encoding.UTF8.GetBytes(context.HttpContext.Request.Headers[HeaderName].ToString());
        // FixedTimeEquals returns early only on a length difference, which reveals nothing about the key itself.
        if (expected.Length == 0 || !CryptographicOperations.FixedTimeEquals(expected, given))
        {
            LogRefused(logger, context.HttpContext.Request.Path, given.Length == 0 ? "no" : "a wrong");
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized", detail: $"Send the operator API key in {HeaderName}.");
        }
        return await next(context);
    }

    [LoggerMessage(1, LogLevel.Warning, "Operator API request to {Path} refused with 401: {Which} API key")]
    private static partial void LogRefused(ILogger logger, PathString path, string which);
}
