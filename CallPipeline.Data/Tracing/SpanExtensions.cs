using System.Diagnostics;

namespace CallPipeline.Data.Tracing;

public static class SpanExtensions
{
    /// <summary>
    /// Marks the span failed: <paramref name="errorType"/> as <c>error.type</c> (an exception type, a status code) and a
    /// description that must hold no caller data, URL or secret (a recorded error reason, never an exception message).
    /// </summary>
    public static void Fail(this Activity? span, string errorType, string? description = null)
    {
        span?.SetTag(TraceTags.ErrorType, errorType);
        span?.SetStatus(ActivityStatusCode.Error, description ?? errorType);
    }
}
