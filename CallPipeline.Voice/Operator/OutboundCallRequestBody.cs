namespace CallPipeline.Voice.Operator;

/// <summary>
/// <c>POST /api/calls</c>: call <paramref name="To"/> from the Twilio number of a business (<paramref name="From"/>).
/// </summary>
public sealed record OutboundCallRequestBody(string? From, string? To);

/// <summary>The call Twilio accepted; its record appears under <c>/api/calls/{callSid}</c> as Twilio reports on it.</summary>
public sealed record PlacedCallRecord(string CallSid, string? Status, string From, string To);
