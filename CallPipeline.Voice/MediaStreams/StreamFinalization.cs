namespace CallPipeline.Voice.MediaStreams;

/// <summary>What a media stream knows about its call when it ends.</summary>
public sealed record StreamFinalization(
    string CallSid,
    string StreamSid,
    DateTimeOffset EndedAt,
    int DurationSeconds,
    string? RecordingSid,
    string? LocalRecordingPath,
    string? RealtimeTranscript);
