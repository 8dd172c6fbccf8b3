namespace CallPipeline.DevDoubles.OpenAi.Requests;

/// <summary>
/// What the double saw of one request, for assertions: parameters, audio facts and the outcome. Never the audio, the
/// texts themselves or the Authorization header: texts appear as lengths.
/// </summary>
public sealed record OpenAiRequestRecord
{
    public long Sequence { get; init; }

    public DateTimeOffset ReceivedAt { get; init; }

    /// <summary><c>audio/transcriptions</c> or <c>chat/completions</c>.</summary>
    public required string Endpoint { get; init; }

    /// <summary>The x-request-id the double answered with.</summary>
    public required string RequestId { get; init; }

    public string? Model { get; init; }

    public int Status { get; init; }

    /// <summary>The OpenAI error code (or type) answered, when the request failed.</summary>
    public string? Error { get; init; }

    /// <summary>Whether the failure was injected through the faults rather than earned by the request.</summary>
    public bool FaultInjected { get; init; }

    /// <summary>Transcription: the response_format sent (null when the caller left it to the default, json); chat: the response_format type.</summary>
    public string? ResponseFormat { get; init; }

    public string? Language { get; init; }

    public int? PromptLength { get; init; }

    public string? Temperature { get; init; }

    public string? FileName { get; init; }

    public long? FileBytes { get; init; }

    /// <summary>The container found by its magic bytes: wav, mp3, ogg, flac, mp4 or webm.</summary>
    public string? AudioFormat { get; init; }

    public int? SampleRate { get; init; }

    public int? Channels { get; init; }

    public int? BitsPerSample { get; init; }

    public double? DurationSeconds { get; init; }

    public string? RecordingSid { get; init; }

    public int? Part { get; init; }

    /// <summary>The recording's channel the upload holds (1 the caller, 2 the line), from its name; null for mixed audio.</summary>
    public int? RecordingChannel { get; init; }

    /// <summary>Where the upload starts in the recording, from its name.</summary>
    public double? OffsetSeconds { get; init; }

    /// <summary>Length of the text answered (transcript or completion).</summary>
    public int? ResponseLength { get; init; }

    public string? SchemaName { get; init; }

    public bool? Strict { get; init; }

    /// <summary>The business named in the system message, so tests can prove which business's context a call was summarised with.</summary>
    public string? BusinessName { get; init; }

    public int? MessageCount { get; init; }

    public int? SystemContentLength { get; init; }

    public int? UserContentLength { get; init; }
}
