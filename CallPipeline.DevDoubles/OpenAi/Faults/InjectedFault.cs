using CallPipeline.DevDoubles.OpenAi.Errors;

namespace CallPipeline.DevDoubles.OpenAi.Faults;

/// <summary>Applies a matching fault to a request: waits its delay, then yields the error to answer with, if any.</summary>
public static class InjectedFault
{
    public static async Task<OpenAiError?> ApplyAsync(
        OpenAiFaultInjector injector, HttpContext context, string endpoint, string? model, TimeProvider timeProvider)
    {
        if (injector.Take(endpoint, model) is not { } fault)
        {
            return null;
        }
        if (fault.Delay > TimeSpan.Zero)
        {
            await Task.Delay(fault.Delay, timeProvider, context.RequestAborted);
        }
        if (fault.StatusCode is not { } statusCode)
        {
            return null;
        }
        if (fault.RetryAfterSeconds is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return OpenAiErrors.Injected(statusCode, model);
    }
}
