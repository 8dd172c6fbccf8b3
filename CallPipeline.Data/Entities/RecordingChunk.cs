namespace CallPipeline.Data.Entities;

/// <summary>
/// One piece of the gateway's own recording of a call's media stream, kept in Postgres so a worker on another machine
/// (a Container Apps replica with no disk in common) can use it when Twilio's recording is missing.
/// </summary>
public class RecordingChunk
{
    public long CallLogId { get; set; }
    /// <summary>0, 1, 2, …: chunk n holds bytes n × <see cref="StoredRecordings.StoredRecording.ChunkBytes"/> onwards.</summary>
    public int Sequence { get; set; }
    public required byte[] Data { get; set; }
}
