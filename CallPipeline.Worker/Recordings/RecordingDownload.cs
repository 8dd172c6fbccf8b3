namespace CallPipeline.Worker.Recordings;

public enum RecordingDownloadOutcome
{
    Downloaded,
    /// <summary>Not there yet or the server kept failing until the retry budget ran out; worth another try later.</summary>
    Unavailable,
    /// <summary>Will not succeed by retrying: credentials refused, a host that may not get them, too large.</summary>
    Refused,
}

/// <summary>What fetching a recording came to.</summary>
public sealed record RecordingDownload(RecordingDownloadOutcome Outcome, string Detail, long Bytes = 0, string? Extension = null);
