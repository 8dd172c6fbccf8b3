namespace CallPipeline.DevDoubles.Twilio;

/// <summary>Section <c>Twilio</c>: the account the double serves (the same values Voice and Worker get) and its fault knobs.</summary>
public sealed class TwilioDoubleOptions
{
    public const string SectionName = "Twilio";

    public string AccountSid { get; set; } = "";

    public string AuthToken { get; set; } = "";

    public TwilioDoubleBehaviour Double { get; set; } = new();

    public bool IsConfigured => AccountSid.StartsWith("AC", StringComparison.Ordinal) && AuthToken.Length > 0;
}
