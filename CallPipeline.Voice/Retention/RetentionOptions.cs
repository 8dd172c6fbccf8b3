namespace CallPipeline.Voice.Retention;

/// <summary>Configuration section <c>Retention</c>: the sweep that deletes recordings and text past each business's retention.</summary>
public sealed class RetentionOptions
{
    public const string SectionName = "Retention";

    /// <summary>How often the sweep runs (on every gateway replica; they never take the same call).</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Calls looked at per kind per pass; what is left waits for the next pass.</summary>
    public int BatchSize { get; set; } = 200;

    /// <summary>Recording retention for calls without a business.</summary>
    public int DefaultRecordingRetentionDays { get; set; } = Data.Entities.Business.DefaultRecordingRetentionDays;
}
