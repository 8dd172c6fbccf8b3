using System.Security.Cryptography;
using System.Text;
using CallPipeline.DevDoubles.OpenAi.Errors;
using CallPipeline.DevDoubles.OpenAi.Requests;
using Microsoft.Extensions.Options;

namespace CallPipeline.DevDoubles.OpenAi.Auth;

/// <summary>OpenAI's authentication: <c>Authorization: Bearer {key}</c> with the configured key, else 401 in OpenAI's error shape.</summary>
public sealed partial class BearerKeyFilter(
    IOptionsMonitor<OpenAiDoubleOptions> options, OpenAiRequestLog requestLog, ILogger<BearerKeyFilter> logger) : IEndpointFilter
{
    private const string Scheme = "Bearer ";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var requestId = OpenAiRequestId.For(http);
        if (Check(http.Request.Headers.Authorization.ToString(), options.CurrentValue.ApiKey) is not { } error)
        {
            return await next(context);
        }

        var endpoint = OpenAiEndpoints.NameOf(http.Request.Path);
        requestLog.Add(new OpenAiRequestRecord { Endpoint = endpoint, RequestId = requestId, Status = error.StatusCode, Error = error.Label });
        LogRejected(logger, endpoint, requestId, error.Label);
        return error.ToResult();
    }

    private static OpenAiError? Check(string authorization, string? configuredKey)
    {
        if (!authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) || authorization.Length == Scheme.Length)
        {
            return OpenAiErrors.MissingApiKey();
        }
        if (string.IsNullOrEmpty(configuredKey))
        {
            return null;
        }
        var presented = Encoding.UTF8.GetBytes(authorization[Scheme.Length..].Trim());
        return CryptographicOperations.FixedTimeEquals(presented, Encoding.UTF8.GetBytes(configuredKey)) ? null : OpenAiErrors.IncorrectApiKey();
    }

    [LoggerMessage(1, LogLevel.Warning, "OpenAI double rejected {Endpoint} request {RequestId} with 401: {Error}")]
    private static partial void LogRejected(ILogger logger, string endpoint, string requestId, string error);
}
