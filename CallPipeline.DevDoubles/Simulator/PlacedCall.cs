namespace CallPipeline.DevDoubles.Simulator;

/// <summary>Answer of <c>POST /simulator/calls</c>.</summary>
public sealed record PlacedCall(string CallSid);
