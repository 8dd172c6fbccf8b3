namespace CallPipeline.DevDoubles.OpenAi.Faults;

/// <summary>
/// Misbehaviour for the next <see cref="Count"/> requests that match: a delay, then (if <see cref="StatusCode"/> is set)
/// an OpenAI-shaped error instead of the answer. Lets tests watch a caller's retries and model fallback.
/// </summary>
public sealed record OpenAiFault
{
    /// <summary>Only requests for this model (exact name); any model when empty.</summary>
    public string? Model { get; set; }

    /// <summary>Only this endpoint: <c>audio/transcriptions</c> or <c>chat/completions</c>; both when empty.</summary>
    public string? Endpoint { get; set; }

    /// <summary>How many matching requests the fault affects; 0 means every one until the faults are cleared.</summary>
    public int Count { get; set; } = 1;

    /// <summary>The status answered instead (429, 500, 503, 400...); when empty the request is answered normally after <see cref="Delay"/>.</summary>
    public int? StatusCode { get; set; }

    /// <summary>Retry-After (seconds) sent with the injected failure, as OpenAI sends with 429.</summary>
    public int? RetryAfterSeconds { get; set; }

    /// <summary>Waited before answering.</summary>
    public TimeSpan Delay { get; set; }
}
