using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CallPipeline.ServiceDefaults;

/// <summary>
/// Bad input is the client's error, not the service's: a <see cref="BadHttpRequestException"/> (malformed JSON, a
/// parameter that does not bind, a body over its limit) gets one information line with the method, path and status,
/// instead of the error line and stack trace of an unhandled exception, and never the client's values.
/// </summary>
internal static partial class BadRequests
{
    /// <summary>For <see cref="Microsoft.AspNetCore.Builder.ExceptionHandlerOptions.SuppressDiagnosticsCallback"/>.</summary>
    public static bool LogInsteadOfDiagnostics(ExceptionHandlerSuppressDiagnosticsContext context)
    {
        if (context.Exception is not BadHttpRequestException badRequest)
        {
            return false;
        }
        var logger = context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(BadRequests).FullName!);
        LogRefused(logger, context.HttpContext.Request.Method, context.HttpContext.Request.Path, badRequest.StatusCode);
        return true;
    }

    [LoggerMessage(1, LogLevel.Information, "Refused {Method} {Path} with {StatusCode}: the request was malformed or too large")]
    private static partial void LogRefused(ILogger logger, string method, PathString path, int statusCode);
}
