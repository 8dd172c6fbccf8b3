namespace CallPipeline.DevDoubles.Twilio.Webhooks;

/// <summary>What the gateway answered to a TwiML request.</summary>
public sealed record TwilioWebhookResponse(int StatusCode, string Body)
{
    public bool IsSuccess => StatusCode is >= 200 and < 300;
}
