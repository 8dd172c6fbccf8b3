namespace CallPipeline.Worker.Ai;

/// <summary>What the extraction found; strings are null when the call did not say them, confidence is within 0..1.</summary>
public sealed record ExtractedDetails(string? City, string? Service, string? CustomerName, double Confidence)
{
    public static readonly ExtractedDetails Nothing = new(null, null, null, 0);

    public bool IsEmpty => City is null && Service is null;
}
