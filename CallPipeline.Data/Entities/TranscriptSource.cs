namespace CallPipeline.Data.Entities;

public enum TranscriptSource
{
    None,
    Recording,
    Realtime,
}
