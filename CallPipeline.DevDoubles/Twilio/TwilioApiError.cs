using System.Text.Json.Serialization;

namespace CallPipeline.DevDoubles.Twilio;

/// <summary>The error body Twilio's REST API answers with, e.g. {"code": 20404, "message": "…", "more_info": "…", "status": 404}.</summary>
public sealed record TwilioApiError(
    [property: JsonPropertyName("code")] int Code,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("more_info")] string MoreInfo,
    [property: JsonPropertyName("status")] int Status,
    [property: JsonPropertyName("detail"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Detail = null)
{
    public static TwilioApiError Unauthorized() => new(20003, "Authentication Error - invalid username", MoreInfoFor(20003), 401,
        "Your AccountSid or AuthToken was incorrect.");

    public static TwilioApiError NotFound(string path) => new(20404, $"The requested resource {path} was not found", MoreInfoFor(20404), 404);

    /// <summary>Twilio's 21220 "Invalid call state": realtime operations (recording) need an in-progress call.</summary>
    public static TwilioApiError InvalidCallState(string message) => new(21220, message, MoreInfoFor(21220), 400);

    public static TwilioApiError InvalidParameter(int code, string message) => new(code, message, MoreInfoFor(code), 400);

    public IResult ToResult() => TypedResults.Json(this, statusCode: Status);

    private static string MoreInfoFor(int code) => $"https://www.twilio.com/docs/errors/{code}";
}
