namespace CallPipeline.DevDoubles.Simulator;

/// <summary>
/// Body of <c>POST /simulator/calls</c>. <c>Text</c> is what the caller says (spoken by espeak-ng); <c>Audio</c>, a
/// base64 audio file, is played instead when given, while the text still tells the OpenAI double what was said.
/// <c>Digits</c> (0-9, *, #) are pressed after speaking.
/// </summary>
public sealed record PlaceCallRequest(string? From, string? To, string? Direction, string? Text, string? Outcome, string? Audio = null, string? Digits = null);
