namespace CallPipeline.DevDoubles.Twilio.Calls;

/// <summary>One step of a simulated call, for the simulator's call view.</summary>
public sealed record SimulatedCallEvent(DateTimeOffset At, string Name, string? Detail);
