using System.ClientModel;

namespace CallPipeline.Worker.Ai;

/// <summary>Sorts failures of the OpenAI-compatible endpoint into permanent (a 4xx the same request will get again) and transient.</summary>
public static class AiEndpointErrors
{
    public static bool IsPermanent(Exception exception) =>
        exception is ClientResultException { Status: >= 400 and < 500 and not (408 or 409 or 429) };

    /// <summary>The status and the endpoint's own error message, which names the problem (never the audio or transcript).</summary>
    public static string Describe(Exception exception) => exception switch
    {
        ClientResultException { Status: > 0 } result => $"HTTP {result.Status}: {Shorten(result.Message)}",
        ClientResultException result => $"no response: {Shorten(result.InnerException?.Message ?? result.Message)}",
        OperationCanceledException => "no answer before the timeout",
        _ => $"{exception.GetType().Name}: {Shorten(exception.Message)}",
    };

    private static string Shorten(string message)
    {
        var line = message.ReplaceLineEndings(" ");
        return line.Length > 400 ? line[..400] : line;
    }
}
