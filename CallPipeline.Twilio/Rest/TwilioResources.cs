using System.Text.Json.Serialization;

namespace CallPipeline.Twilio.Rest;

/// <summary>The fields we use of Twilio's Recording resource (snake_case on the wire).</summary>
public sealed record TwilioRecording(
    [property: JsonPropertyName("sid")] string Sid,
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("call_sid")] string? CallSid,
    [property: JsonPropertyName("channels")] int? Channels,
    [property: JsonPropertyName("uri")] string? Uri);

/// <summary>The fields we use of Twilio's Call resource.</summary>
public sealed record TwilioCall(
    [property: JsonPropertyName("sid")] string Sid,
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("direction")] string? Direction,
    [property: JsonPropertyName("to")] string? To,
    [property: JsonPropertyName("from")] string? From);

/// <summary>Twilio's error body: <c>{"code":20404,"message":"…","more_info":"…","status":404}</c>.</summary>
public sealed record TwilioError(
    [property: JsonPropertyName("code")] int? Code,
    [property: JsonPropertyName("message")] string? Message,
    [property: JsonPropertyName("status")] int? Status);

[JsonSerializable(typeof(TwilioRecording))]
[JsonSerializable(typeof(TwilioCall))]
[JsonSerializable(typeof(TwilioError))]
internal sealed partial class TwilioRestJsonContext : JsonSerializerContext;
