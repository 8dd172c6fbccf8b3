namespace CallPipeline.Twilio.Rest;

/// <summary>
/// A call placed through the REST API. Twilio fetches TwiML from <see cref="TwimlUrl"/> once the callee answers and
/// reports progress to <see cref="StatusCallbackUrl"/>.
/// </summary>
public sealed record OutboundCallRequest(string To, string From, string TwimlUrl, string StatusCallbackUrl);
