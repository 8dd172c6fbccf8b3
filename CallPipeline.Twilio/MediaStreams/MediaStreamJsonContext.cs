using System.Text.Json;
using System.Text.Json.Serialization;

namespace CallPipeline.Twilio.MediaStreams;

[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(MediaStreamMessage))]
[JsonSerializable(typeof(OutboundMediaMessage))]
[JsonSerializable(typeof(OutboundMarkMessage))]
[JsonSerializable(typeof(ClearMessage))]
public sealed partial class MediaStreamJsonContext : JsonSerializerContext;
