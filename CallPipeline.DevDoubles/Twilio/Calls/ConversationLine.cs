namespace CallPipeline.DevDoubles.Twilio.Calls;

/// <summary>The two sides of a simulated call: the caller (Twilio's inbound track) and the business's line (the outbound track).</summary>
public enum ConversationSide
{
    Caller,
    Line,
}

/// <summary>One line of a scripted conversation: who says it, what, and when (call time from the answer).</summary>
public sealed record ConversationLine(ConversationSide Side, string Text, TimeSpan At);
