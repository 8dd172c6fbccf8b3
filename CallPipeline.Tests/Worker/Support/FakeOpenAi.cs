using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using CallPipeline.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CallPipeline.Tests.Worker.Support;

/// <summary>
/// A small OpenAI-compatible server on Kestrel speaking the real wire format: multipart <c>/v1/audio/transcriptions</c>
/// answering <c>{"text": …}</c>, and <c>/v1/chat/completions</c> answering <c>choices[0].message.content</c>. It rejects what
/// OpenAI rejects (verbose_json for gpt-4o-transcribe, files that are no audio, over 25 MiB) and records every request.
/// </summary>
internal sealed class FakeOpenAi : IAsyncDisposable
{
    public const long UploadLimit = 26_214_400;
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<TranscriptionRequest> _transcriptions = new();
    private readonly ConcurrentQueue<ChatRequest> _chats = new();

    private FakeOpenAi(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    /// <summary>The endpoint as the worker is configured with it, <c>…/v1</c>.</summary>
    public string BaseUrl { get; }

    public IReadOnlyList<TranscriptionRequest> Transcriptions => [.. _transcriptions];

    public IReadOnlyList<ChatRequest> Chats => [.. _chats];

    /// <summary>The transcript for a request (default: "שלום" and the file name's stem); return null to answer with <see cref="Failure"/>.</summary>
    public Func<TranscriptionRequest, string?> Transcribe { get; set; } = request => $"שלום, אני צריך אינסטלטור בחיפה. {request.FileName}";

    /// <summary>The status and message of a refused transcription.</summary>
    public (int Status, string Message) Failure { get; set; } = (400, "The model failed on purpose.");

    public TimeSpan TranscriptionDelay { get; set; }

    /// <summary>Chat completions answer with this status when set (e.g. 500).</summary>
    public int? ChatFailureStatus { get; set; }

    public string SummaryText { get; set; } = "הלקוח צריך אינסטלטור בחיפה לתיקון נזילה. שמו דני.";

    public string ExtractionJson { get; set; } = """{"city":"חיפה","service":"אינסטלציה","customer_name":"דני","confidence":0.93}""";

    public static async Task<FakeOpenAi> StartAsync()
    {
        var app = LoopbackWebApp.CreateBuilder(kestrel: kestrel => kestrel.Limits.MaxRequestBodySize = 64 * 1024 * 1024).Build();
        FakeOpenAi? fake = null;
        app.MapPost("/v1/audio/transcriptions", (Delegate)((HttpContext context) => fake!.TranscribeAsync(context)));
        app.MapPost("/v1/chat/completions", (Delegate)((HttpContext context) => fake!.ChatAsync(context)));
        await app.StartAsync();
        fake = new FakeOpenAi(app, LoopbackWebApp.BaseUrl(app) + "/v1");
        return fake;
    }

    private async Task<IResult> TranscribeAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var file = form.Files.GetFile("file");
        using var buffer = new MemoryStream();
        if (file is not null)
        {
            await file.CopyToAsync(buffer, context.RequestAborted);
        }
        var request = new TranscriptionRequest(
            form["model"].ToString(),
            NullIfEmpty(form["language"].ToString()),
            NullIfEmpty(form["prompt"].ToString()),
            NullIfEmpty(form["response_format"].ToString()),
            file?.FileName ?? "",
            buffer.ToArray(),
            [.. form.Keys]);
        _transcriptions.Enqueue(request);
        if (TranscriptionDelay > TimeSpan.Zero)
        {
            await Task.Delay(TranscriptionDelay, context.RequestAborted);
        }

        if (request.ResponseFormat is not (null or "json" or "text") && request.Model.StartsWith("gpt-4o", StringComparison.Ordinal))
        {
            return Error(400, $"response_format '{request.ResponseFormat}' is not compatible with model '{request.Model}'. Use 'json' or 'text'.");
        }
        if (request.Audio.Length > UploadLimit)
        {
            return Error(413, $"Maximum content size limit ({UploadLimit}) exceeded.");
        }
        if (!LooksLikeAudio(request.Audio))
        {
            return Error(400, "Invalid file format. Supported formats: ['flac', 'm4a', 'mp3', 'mp4', 'mpeg', 'mpga', 'oga', 'ogg', 'wav', 'webm']");
        }
        var text = Transcribe(request);
        return text is null
            ? Error(Failure.Status, Failure.Message)
            : Results.Json(new { text, usage = new { type = "duration", seconds = 1 } });
    }

    private async Task<IResult> ChatAsync(HttpContext context)
    {
        var body = (await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted))!;
        var request = new ChatRequest(body.ToJsonString());
        _chats.Enqueue(request);
        if (ChatFailureStatus is { } status)
        {
            return Error(status, "The chat model failed on purpose.");
        }
        var content = request.ResponseFormatType == "json_schema" ? ExtractionJson : SummaryText;
        return Results.Json(new
        {
            id = "chatcmpl-" + Guid.NewGuid().ToString("N")[..12],
            @object = "chat.completion",
            created = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            model = request.Model,
            choices = new[]
            {
                new { index = 0, message = new { role = "assistant", content, refusal = (string?)null }, finish_reason = "stop", logprobs = (object?)null },
            },
            usage = new { prompt_tokens = 10, completion_tokens = 10, total_tokens = 20 },
        });
    }

    private static IResult Error(int status, string message) =>
        Results.Json(new { error = new { message, type = "invalid_request_error", param = (string?)null, code = (string?)null } }, statusCode: status);

    /// <summary>RIFF/WAVE, an ID3 tag or an MPEG frame sync: what the real endpoint would decode.</summary>
    private static bool LooksLikeAudio(byte[] audio) =>
        (audio.Length > 12 && audio.AsSpan(0, 4).SequenceEqual("RIFF"u8) && audio.AsSpan(8, 4).SequenceEqual("WAVE"u8))
        || (audio.Length > 3 && audio.AsSpan(0, 3).SequenceEqual("ID3"u8))
        || (audio.Length > 2 && audio[0] == 0xFF && (audio[1] & 0xE0) == 0xE0);

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

internal sealed record TranscriptionRequest(
    string Model, string? Language, string? Prompt, string? ResponseFormat, string FileName, byte[] Audio, IReadOnlyList<string> FieldNames);

internal sealed record ChatRequest(string Json)
{
    private JsonElement Root => JsonDocument.Parse(Json).RootElement;

    public string Model => Root.GetProperty("model").GetString()!;

    public string? ResponseFormatType =>
        Root.TryGetProperty("response_format", out var format) ? format.GetProperty("type").GetString() : null;

    public JsonElement? JsonSchema =>
        Root.TryGetProperty("response_format", out var format) && format.TryGetProperty("json_schema", out var schema) ? schema.Clone() : null;

    public string SystemPrompt => MessageText("system");

    public string UserText => MessageText("user");

    private string MessageText(string role) => string.Join("\n", Root.GetProperty("messages").EnumerateArray()
        .Where(m => m.GetProperty("role").GetString() == role)
        .Select(m => m.GetProperty("content") is { ValueKind: JsonValueKind.String } text
            ? text.GetString()
            : string.Concat(m.GetProperty("content").EnumerateArray().Select(p => p.GetProperty("text").GetString()))));
}
