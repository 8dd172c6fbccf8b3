using System.Text.Json;

namespace CallPipeline.DevDoubles.Twilio;

/// <summary>Twilio's REST resources are JSON with snake_case names and explicit nulls.</summary>
public static class TwilioJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };
}
