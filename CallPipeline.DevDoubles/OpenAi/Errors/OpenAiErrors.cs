using System.Globalization;

namespace CallPipeline.DevDoubles.OpenAi.Errors;

/// <summary>
/// The errors the double answers with, worded as OpenAI words them (messages quoted in public issue threads, see the
/// README next to this folder), so a caller's error handling meets what production will send.
/// </summary>
public static class OpenAiErrors
{
    private const string InvalidRequest = "invalid_request_error";

    public const string SupportedFileFormats = "['flac', 'm4a', 'mp3', 'mp4', 'mpeg', 'mpga', 'oga', 'ogg', 'wav', 'webm']";

    public static OpenAiError MissingApiKey() => new(
        StatusCodes.Status401Unauthorized,
        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY). You can obtain an API key from https://platform.openai.com/account/api-keys.",
        InvalidRequest);

    // OpenAI echoes a masked key here; the double does not, so no part of a key reaches a caller's exception logs.
    public static OpenAiError IncorrectApiKey() => new(
        StatusCodes.Status401Unauthorized,
        "Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.",
        InvalidRequest, Code: "invalid_api_key");

    public static OpenAiError ModelMissing() => new(StatusCodes.Status400BadRequest, "you must provide a model parameter", InvalidRequest);

    public static OpenAiError ModelNotFound(string model) => new(
        StatusCodes.Status404NotFound, $"The model `{model}` does not exist or you do not have access to it.", InvalidRequest, Code: "model_not_found");

    public static OpenAiError NotMultipart(string? contentType) => new(
        StatusCodes.Status400BadRequest,
        $"Invalid Content-Type header ({contentType ?? "none"}), expected multipart/form-data.",
        InvalidRequest);

    public static OpenAiError UnparsableMultipart() => new(StatusCodes.Status400BadRequest, "Could not parse multipart form", InvalidRequest);

    public static OpenAiError MissingParameter(string name) => new(
        StatusCodes.Status400BadRequest, $"Missing required parameter: '{name}'.", InvalidRequest, name, "missing_required_parameter");

    public static OpenAiError InvalidValue(string param, string value, string supported) => new(
        StatusCodes.Status400BadRequest, $"Invalid value: '{value}'. Supported values are: {supported}.", InvalidRequest, param, "invalid_value");

    public static OpenAiError ResponseFormatNotCompatible(string responseFormat, string model) => new(
        StatusCodes.Status400BadRequest,
        $"response_format '{responseFormat}' is not compatible with model '{model}'. Use 'json' or 'text' instead.",
        InvalidRequest, "response_format", "unsupported_value");

    public static OpenAiError InvalidLanguage(string language) => new(
        StatusCodes.Status400BadRequest,
        $"Invalid language '{language}'. Language parameter must be specified in ISO-639-1 format.",
        InvalidRequest, "language", "invalid_value");

    public static OpenAiError InvalidFileFormat() => new(
        StatusCodes.Status400BadRequest, $"Invalid file format. Supported formats: {SupportedFileFormats}", InvalidRequest);

    public static OpenAiError CorruptAudio() => new(
        StatusCodes.Status400BadRequest, "Audio file might be corrupted or unsupported", InvalidRequest, "file", "invalid_value");

    public static OpenAiError AudioTooShort() => new(
        StatusCodes.Status400BadRequest, "Audio file is too short. Minimum audio length is 0.1 seconds.", InvalidRequest, "file", "audio_too_short");

    public static OpenAiError AudioTooLong(double durationSeconds, int maximumSeconds) => new(
        StatusCodes.Status400BadRequest,
        string.Create(CultureInfo.InvariantCulture,
            $"audio duration {durationSeconds:0.######} seconds is longer than {maximumSeconds} seconds which is the maximum for this model"),
        InvalidRequest, Code: "invalid_value");

    public static OpenAiError ContentTooLarge(long limit, long bytesRead) => new(
        StatusCodes.Status413RequestEntityTooLarge,
        string.Create(CultureInfo.InvariantCulture, $"Maximum content size limit ({limit}) exceeded ({bytesRead} bytes read)"),
        "server_error");

    public static OpenAiError InvalidJsonBody() => new(
        StatusCodes.Status400BadRequest,
        "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
        InvalidRequest);

    public static OpenAiError InvalidType(string param, string message) => new(
        StatusCodes.Status400BadRequest, message, InvalidRequest, param, "invalid_type");

    public static OpenAiError EmptyMessages() => new(
        StatusCodes.Status400BadRequest,
        "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
        InvalidRequest, "messages", "empty_array");

    public static OpenAiError JsonObjectNeedsTheWordJson() => new(
        StatusCodes.Status400BadRequest,
        "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.",
        InvalidRequest, "messages");

    public static OpenAiError InvalidSchema(string schemaName, string problem) => new(
        StatusCodes.Status400BadRequest, $"Invalid schema for response_format '{schemaName}': {problem}", InvalidRequest, "response_format");

    public static OpenAiError StreamingNotSupported() => new(
        StatusCodes.Status400BadRequest, "The OpenAI double does not stream; send the request without 'stream'.", InvalidRequest, "stream", "unsupported_value");

    /// <summary>An injected failure, worded like the real answer for that status.</summary>
    public static OpenAiError Injected(int statusCode, string? model) => statusCode switch
    {
        StatusCodes.Status429TooManyRequests => new(statusCode,
            $"Rate limit reached for {model ?? "requests"} in organization org-double on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 1s.",
            "requests", "requests", "rate_limit_exceeded"),
        StatusCodes.Status500InternalServerError => new(statusCode,
            "The server had an error while processing your request. Sorry about that!", "server_error"),
        StatusCodes.Status503ServiceUnavailable => new(statusCode,
            "The engine is currently overloaded, please try again later.", "server_error"),
        >= 500 => new(statusCode, "Bad gateway.", "server_error"),
        _ => new(statusCode, $"Injected failure with status {statusCode}.", InvalidRequest),
    };
}
