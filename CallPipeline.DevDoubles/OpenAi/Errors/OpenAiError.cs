using Microsoft.AspNetCore.Http.HttpResults;

namespace CallPipeline.DevDoubles.OpenAi.Errors;

/// <summary>An error as OpenAI answers it: a status and the error envelope.</summary>
public sealed record OpenAiError(int StatusCode, string Message, string Type, string? Param = null, string? Code = null)
{
    /// <summary>What the request log records: the code when OpenAI gives one, else the type.</summary>
    public string Label => Code ?? Type;

    public JsonHttpResult<OpenAiErrorBody> ToResult() =>
        TypedResults.Json(new OpenAiErrorBody(new OpenAiErrorDetail(Message, Type, Param, Code)), OpenAiJson.Options, statusCode: StatusCode);
}
