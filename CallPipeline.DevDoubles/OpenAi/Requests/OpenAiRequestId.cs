namespace CallPipeline.DevDoubles.OpenAi.Requests;

/// <summary>The x-request-id OpenAI sends with every answer; one per request, also kept in the request log.</summary>
public static class OpenAiRequestId
{
    private const string HeaderName = "x-request-id";

    public static string For(HttpContext context)
    {
        if (context.Items[HeaderName] is string existing)
        {
            return existing;
        }
        var requestId = "req_" + Guid.NewGuid().ToString("N");
        context.Items[HeaderName] = requestId;
        context.Response.Headers[HeaderName] = requestId;
        return requestId;
    }
}
