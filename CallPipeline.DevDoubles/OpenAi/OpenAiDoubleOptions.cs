namespace CallPipeline.DevDoubles.OpenAi;

/// <summary>The OpenAI double's settings: the key callers must present (section <c>OpenAI</c>) and its behaviour (<c>OpenAI:Double</c>).</summary>
public sealed class OpenAiDoubleOptions
{
    public const string SectionName = "OpenAI";

    /// <summary>The Bearer key every request must carry. When empty, any non-empty Bearer key is accepted (logged at start).</summary>
    public string? ApiKey { get; set; }

    public OpenAiDoubleSettings Double { get; set; } = new();
}
