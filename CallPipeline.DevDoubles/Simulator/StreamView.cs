namespace CallPipeline.DevDoubles.Simulator;

/// <summary>Counts of what went over a call's Media Stream.</summary>
public sealed record StreamView(long FramesSent, long MediaReceived, long MarksReceived, long MarksEchoed, long Clears);
