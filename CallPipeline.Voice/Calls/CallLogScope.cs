namespace CallPipeline.Voice.Calls;

/// <summary>A logging scope carrying the CallSid, so an operator can follow one call across every line.</summary>
public static class CallLogScope
{
    public static IDisposable? Begin(ILogger logger, string callSid) =>
        logger.BeginScope(new KeyValuePair<string, object>[] { new("CallSid", callSid) });
}
