namespace CallPipeline.Voice.Calls;

/// <summary>Twilio's CallStatus values in the order a call goes through them.</summary>
public static class TwilioCallStatuses
{
    public const string InProgress = "in-progress";
    public const string Completed = "completed";

    /// <summary>The call ended without being answered: nothing was said, so there is nothing to record.</summary>
    public static bool IsUnanswered(string status) => status is "busy" or "no-answer" or "failed" or "canceled";

    public static bool IsTerminal(string status) => status == Completed || IsUnanswered(status);

    /// <summary>queued/initiated, ringing, in-progress, then the terminal ones; unknown values rank lowest.</summary>
    public static int Rank(string? status) => status switch
    {
        "queued" or "initiated" => 1,
        "ringing" => 2,
        InProgress => 3,
        _ when status is not null && IsTerminal(status) => 4,
        _ => 0,
    };
}
