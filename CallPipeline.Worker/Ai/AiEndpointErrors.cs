using System.ClientModel;
using System.Text.Json;

namespace CallPipeline.Worker.Ai;

/// <summary>Sorts failures of the OpenAI-compatible endpoint into permanent (a 4xx the same request will get again) and transient.</summary>
public static class AiEndpointErrors
{
    public static bool IsPermanent(Exception exception) =>
        exception is ClientResultException { Status: >= 400 and < 500 and not (408 or 409 or 429) };

    /// <summary>
    /// The status and the error's type and code from the endpoint's JSON body. Never the endpoint's message text: it can
    /// name (part of) the API key or echo the request.
    /// </summary>
    public static string Describe(Exception exception) => exception switch
    {
        ClientResultException { Status: > 0 } result => $"HTTP {result.Status}{ErrorKind(result)}",
        ClientResultException => "no response from the AI endpoint",
        OperationCanceledException => "no answer before the timeout",
        _ => exception.GetType().Name,
    };

    private static string ErrorKind(ClientResultException result)
    {
        try
        {
            using var body = JsonDocument.Parse(result.GetRawResponse()?.Content ?? BinaryData.Empty);
            if (!body.RootElement.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object)
            {
                return "";
            }
            var kind = string.Join(", ", new[] { "type", "code" }
                .Select(name => error.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null)
                .OfType<string>());
            return kind.Length == 0 ? "" : $" ({Shorten(kind)})";
        }
        catch (JsonException)
        {
            return "";
        }
    }

    private static string Shorten(string text) => text.Length > 100 ? text[..100] : text;
}
