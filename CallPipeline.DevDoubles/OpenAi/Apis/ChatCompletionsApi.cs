using System.Text.Json;
using System.Text.Json.Nodes;
using CallPipeline.DevDoubles.OpenAi.Chat;
using CallPipeline.DevDoubles.OpenAi.Errors;
using CallPipeline.DevDoubles.OpenAi.Faults;
using CallPipeline.DevDoubles.OpenAi.Requests;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace CallPipeline.DevDoubles.OpenAi.Apis;

/// <summary>
/// <c>POST /v1/chat/completions</c> as OpenAI answers it, deterministically: plain text gets a short summary naming
/// the business from the system message; json_schema gets an object that validates against the schema (strict
/// schemas are checked as OpenAI checks them); json_object gets the call's facts.
/// </summary>
public static partial class ChatCompletionsApi
{
    public static RouteGroupBuilder MapChatCompletionsApi(this RouteGroupBuilder v1)
    {
        v1.MapPost("/chat/completions", CompleteAsync);
        return v1;
    }

    private static async Task<Results<JsonHttpResult<ChatCompletionResponse>, JsonHttpResult<OpenAiErrorBody>>> CompleteAsync(
        HttpContext context,
        OpenAiRequestLog requestLog,
        OpenAiFaultInjector faults,
        IOptionsMonitor<OpenAiDoubleOptions> options,
        TimeProvider timeProvider,
        ILoggerFactory loggerFactory)
    {
        var logger = loggerFactory.CreateLogger(typeof(ChatCompletionsApi).FullName!);
        var record = new OpenAiRequestRecord { Endpoint = OpenAiEndpoints.ChatCompletions, RequestId = OpenAiRequestId.For(context) };

        JsonHttpResult<OpenAiErrorBody> Reject(OpenAiError error, bool injected = false)
        {
            requestLog.Add(record with { Status = error.StatusCode, Error = error.Label, FaultInjected = injected });
            LogRejected(logger, record.RequestId, record.Model ?? "none", error.StatusCode, error.Label, injected);
            return error.ToResult();
        }

        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (Exception unreadable) when (unreadable is JsonException or BadHttpRequestException)
        {
            return Reject(OpenAiErrors.InvalidJsonBody());
        }
        using var body = document;
        if (body.RootElement.ValueKind != JsonValueKind.Object)
        {
            return Reject(OpenAiErrors.InvalidJsonBody());
        }

        var request = ChatCompletionRequest.From(body.RootElement);
        var businessName = BusinessContext.NameIn(request.SystemText);
        record = record with
        {
            Model = request.Model,
            ResponseFormat = request.ResponseFormatType,
            SchemaName = request.SchemaName,
            Strict = request.ResponseFormatType == "json_schema" ? request.Strict : null,
            BusinessName = businessName,
            MessageCount = request.MessageCount,
            SystemContentLength = request.SystemText.Length,
            UserContentLength = request.UserText.Length,
        };

        if (string.IsNullOrEmpty(request.Model))
        {
            return Reject(OpenAiErrors.ModelMissing());
        }
        if (!options.CurrentValue.Double.ChatModels.Contains(request.Model, StringComparer.Ordinal))
        {
            return Reject(OpenAiErrors.ModelNotFound(request.Model));
        }
        if (await InjectedFault.ApplyAsync(faults, context, OpenAiEndpoints.ChatCompletions, request.Model, timeProvider) is { } injected)
        {
            return Reject(injected, injected: true);
        }
        if (request.Stream)
        {
            return Reject(OpenAiErrors.StreamingNotSupported());
        }
        if (request.Problem is { } problem)
        {
            return Reject(OpenAiErrors.InvalidType(problem.Param, problem.Message));
        }
        if (request.MessageCount == 0)
        {
            return Reject(OpenAiErrors.EmptyMessages());
        }

        string content;
        switch (request.ResponseFormatType)
        {
            case "text":
                content = CallSummaryWriter.Write(request.UserText, businessName);
                break;
            case "json_object":
                if (!(request.SystemText + request.UserText).Contains("json", StringComparison.OrdinalIgnoreCase))
                {
                    return Reject(OpenAiErrors.JsonObjectNeedsTheWordJson());
                }
                content = FactsObject(CallFacts.From(request.UserText, businessName));
                break;
            case "json_schema":
                if (string.IsNullOrEmpty(request.SchemaName))
                {
                    return Reject(OpenAiErrors.MissingParameter("response_format.json_schema.name"));
                }
                if (request.Strict && StrictSchemaRules.FirstProblem(request.Schema ?? default) is { } schemaProblem)
                {
                    return Reject(OpenAiErrors.InvalidSchema(request.SchemaName, schemaProblem));
                }
                var filled = request.Schema is { } schema
                    ? new SchemaFiller(schema, CallFacts.From(request.UserText, businessName), CallSummaryWriter.Write(request.UserText, businessName)).Fill()
                    : new JsonObject();
                content = (filled ?? new JsonObject()).ToJsonString(OpenAiJson.Options);
                break;
            default:
                return Reject(OpenAiErrors.InvalidValue("response_format.type", request.ResponseFormatType ?? "", "'json_object', 'json_schema', and 'text'"));
        }

        var promptTokens = (request.SystemText.Length + request.UserText.Length + 3) / 4;
        var response = ChatCompletionResponse.Create(request.Model, content, promptTokens, timeProvider.GetUtcNow());
        requestLog.Add(record with { Status = StatusCodes.Status200OK, ResponseLength = content.Length });
        LogCompleted(logger, response.Id, request.Model, request.ResponseFormatType, businessName ?? "none", request.UserText.Length, content.Length);
        return TypedResults.Json(response, OpenAiJson.Options);
    }

    private static string FactsObject(CallFacts facts) => new JsonObject
    {
        ["city"] = facts.City,
        ["service"] = facts.Service,
        ["customer_name"] = facts.CustomerName,
        ["confidence"] = facts.Confidence,
    }.ToJsonString(OpenAiJson.Options);

    [LoggerMessage(1, LogLevel.Information,
        "OpenAI double completed chat {CompletionId} with {Model} ({ResponseFormat}) for business {BusinessName}: {UserLength} chars in, {ContentLength} chars out")]
    private static partial void LogCompleted(ILogger logger, string completionId, string model, string responseFormat, string businessName, int userLength, int contentLength);

    [LoggerMessage(2, LogLevel.Warning, "OpenAI double answered chat {RequestId} ({Model}) with {StatusCode} {Error} (injected: {Injected})")]
    private static partial void LogRejected(ILogger logger, string requestId, string model, int statusCode, string error, bool injected);
}
