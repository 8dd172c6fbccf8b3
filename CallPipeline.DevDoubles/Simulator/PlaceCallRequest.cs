namespace CallPipeline.DevDoubles.Simulator;

/// <summary>Body of <c>POST /simulator/calls</c>.</summary>
public sealed record PlaceCallRequest(string? From, string? To, string? Direction, string? Text, string? Outcome);
