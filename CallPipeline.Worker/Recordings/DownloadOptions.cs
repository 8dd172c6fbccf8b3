using System.ComponentModel.DataAnnotations;

namespace CallPipeline.Worker.Recordings;

/// <summary>Fetching the recording (configuration section <c>Worker</c>): where it lands, its retries and its size cap.</summary>
public sealed class DownloadOptions
{
    public const string SectionName = "Worker";

    /// <summary>Where downloads and conversions are written; the system temp folder when empty.</summary>
    public string? TempDirectory { get; set; }

    public TimeSpan DownloadRequestTimeout { get; set; } = TimeSpan.FromSeconds(60);

    public TimeSpan DownloadFirstRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan DownloadMaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Total time spent waiting for a recording that is not there yet (fresh recordings answer 404 for a while).</summary>
    public TimeSpan DownloadRetryBudget { get; set; } = TimeSpan.FromMinutes(5);

    [Range(1, long.MaxValue)]
    public long MaxRecordingBytes { get; set; } = 200L * 1024 * 1024;

    /// <summary>The folder <see cref="TempDirectory"/> names, or the worker's own under the system temp folder.</summary>
    public string EffectiveTempDirectory =>
        string.IsNullOrWhiteSpace(TempDirectory) ? Path.Combine(Path.GetTempPath(), "callpipeline-worker") : TempDirectory;
}
