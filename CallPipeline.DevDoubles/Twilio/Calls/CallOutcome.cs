namespace CallPipeline.DevDoubles.Twilio.Calls;

/// <summary>How the simulated call goes: answered, or missed with the Twilio status it ends in.</summary>
public enum CallOutcome
{
    Answered,
    NoAnswer,
    Busy,
    Failed,
}

public static class CallOutcomes
{
    public static bool TryParse(string? value, out CallOutcome outcome)
    {
        (var known, outcome) = (value ?? "answered") switch
        {
            "answered" => (true, CallOutcome.Answered),
            "no-answer" => (true, CallOutcome.NoAnswer),
            "busy" => (true, CallOutcome.Busy),
            "failed" => (true, CallOutcome.Failed),
            _ => (false, CallOutcome.Answered),
        };
        return known;
    }

    public static string ToTwilioStatus(this CallOutcome outcome) => outcome switch
    {
        CallOutcome.NoAnswer => CallStatuses.NoAnswer,
        CallOutcome.Busy => CallStatuses.Busy,
        CallOutcome.Failed => CallStatuses.Failed,
        _ => CallStatuses.Completed,
    };
}
