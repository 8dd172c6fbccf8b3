namespace CallPipeline.DevDoubles.OpenAi.Audio;

/// <summary>The <c>json</c> response format: <c>{"text": "...", "usage": {...}}</c>.</summary>
public sealed record TranscriptionResponse(string Text, object Usage);
