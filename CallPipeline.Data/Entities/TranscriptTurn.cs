namespace CallPipeline.Data.Entities;

/// <summary>One speaker's stretch of speech: seconds from the start of the recording, and what was said.</summary>
public sealed record TranscriptTurn(SpeakerRole Role, double Start, double End, string Text);
