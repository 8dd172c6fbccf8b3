namespace CallPipeline.DevDoubles.OpenAi;

/// <summary>The endpoint names the request log and the faults use: the path below <c>/v1/</c>.</summary>
public static class OpenAiEndpoints
{
    public const string Transcriptions = "audio/transcriptions";
    public const string ChatCompletions = "chat/completions";

    public static string NameOf(PathString path) => path.StartsWithSegments("/v1", out var rest) ? rest.Value!.Trim('/') : path.Value!.Trim('/');
}
