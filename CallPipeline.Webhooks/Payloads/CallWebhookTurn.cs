namespace CallPipeline.Webhooks.Payloads;

/// <summary>One turn of the transcript: the speaker (caller, line or unknown), seconds from the recording's start, the words.</summary>
public sealed record CallWebhookTurn(string Role, double Start, double End, string Text);
