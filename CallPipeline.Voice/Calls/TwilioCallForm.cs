namespace CallPipeline.Voice.Calls;

/// <summary>The fields of Twilio's voice webhooks (incoming call and call status callbacks) the gateway uses.</summary>
public sealed record TwilioCallForm(
    string CallSid,
    string? AccountSid,
    string? From,
    string? To,
    string? Direction,
    string? CallStatus,
    string? ParentCallSid,
    int? SequenceNumber,
    int? CallDuration,
    DateTimeOffset? Timestamp)
{
    /// <summary>The form, or null with the <paramref name="problem"/> (field names and limits, no values) when a field is missing or does not fit.</summary>
    public static TwilioCallForm? Parse(IFormCollection form, out string? problem)
    {
        var fields = new TwilioFormFields(form);
        var parsed = new TwilioCallForm(
            fields.Sid("CallSid", "CA", required: true) ?? "",
            fields.Text("AccountSid", 64),
            fields.Text("From", 64),
            fields.Text("To", 64),
            fields.Text("Direction", 32),
            fields.Text("CallStatus", 32)?.ToLowerInvariant(),
            fields.Sid("ParentCallSid", "CA"),
            fields.Integer("SequenceNumber"),
            fields.Integer("CallDuration"),
            fields.Timestamp("Timestamp"));
        problem = fields.Problem;
        return problem is null ? parsed : null;
    }
}
