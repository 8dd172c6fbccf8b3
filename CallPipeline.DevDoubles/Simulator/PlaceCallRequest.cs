namespace CallPipeline.DevDoubles.Simulator;

/// <summary>
/// Body of <c>POST /simulator/calls</c>. <c>Text</c> is what the caller says (spoken by espeak-ng) once the greeting
/// has played; <c>Audio</c>, a base64 audio file, is played instead when given, while the text still tells the OpenAI
/// double what was said. <c>Conversation</c> scripts both sides instead: each line spoken at its time.
/// <c>Digits</c> (0-9, *, #) are pressed after the caller's last words.
/// </summary>
public sealed record PlaceCallRequest(
    string? From,
    string? To,
    string? Direction,
    string? Text,
    string? Outcome,
    string? Audio = null,
    string? Digits = null,
    IReadOnlyList<ScriptedLineRequest>? Conversation = null);

/// <summary>A line of <c>conversation</c>: <c>speaker</c> caller or line, <c>text</c>, and <c>at</c> in seconds of call time from the answer.</summary>
public sealed record ScriptedLineRequest(string? Speaker, string? Text, double? At);
