namespace CallPipeline.DevDoubles.Twilio;

/// <summary>Section <c>DevDoubles</c>: where the doubles keep files and the URL others reach them at.</summary>
public sealed class DevDoublesOptions
{
    public const string SectionName = "DevDoubles";

    /// <summary>Folder for recordings and synthesised speech; a folder under the system temp folder when empty.</summary>
    public string DataPath { get; set; } = "";

    /// <summary>The double's own base URL as others reach it (RecordingUrl); the first http address Kestrel listens on when empty.</summary>
    public string? PublicBaseUrl { get; set; }
}
