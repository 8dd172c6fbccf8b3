using System.Diagnostics;
using CallPipeline.Data.Entities;
using CallPipeline.RecordingJobs;
using CallPipeline.Worker.Transcription;

namespace CallPipeline.Worker.Pipeline;

/// <summary>The state of one job as it goes through the steps: the call, its files and how long each step took.</summary>
public sealed class PipelineRun(RecordingJob job, long delivery) : IDisposable
{
    private readonly List<string> _temporaryFiles = [];

    public RecordingJob Job { get; } = job;

    /// <summary>The stream's delivery count of this entry, 1 on the first try.</summary>
    public long Delivery { get; } = delivery;

    public CallLog Call { get; set; } = null!;

    public Business Business { get; set; } = null!;

    /// <summary>The recording as fetched (Twilio's media or the gateway's own recording).</summary>
    public string? RecordingPath { get; set; }

    /// <summary>The recording is Twilio's: the gateway's copy in Postgres is not needed once the call is processed.</summary>
    public bool RecordingFromTwilio { get; set; }

    /// <summary>
    /// What is sent for transcription, in time order: each speaker's turns of a two-channel recording, or the converted
    /// one-channel WAV (or its parts, or the original recording) as turns of an unknown speaker.
    /// </summary>
    public List<TranscriptionClip> Clips { get; } = [];

    /// <summary>Why conversion did not happen, when the original is sent instead.</summary>
    public string? ConversionProblem { get; set; }

    public Dictionary<string, long> StepTimings { get; } = [];

    /// <summary>The upload name's stem: the RecordingSid (an OpenAI double contract), the CallSid for a local recording without one.</summary>
    public string AudioName => string.IsNullOrEmpty(Job.RecordingSid) ? Call.RecordingSid ?? Job.CallSid : Job.RecordingSid;

    public string NewTemporaryFile(string directory, string extension)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"{Job.CallSid}-{Guid.NewGuid():N}{extension}");
        _temporaryFiles.Add(path);
        return path;
    }

    /// <summary>Times a step into <see cref="StepTimings"/>; dispose at the step's end.</summary>
    public StepTimer Time(string step) => new(this, step);

    public void Dispose()
    {
        foreach (var path in _temporaryFiles)
        {
            try
            {
                File.Delete(path);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        _temporaryFiles.Clear();
    }

    public readonly struct StepTimer(PipelineRun run, string step) : IDisposable
    {
        private readonly long _started = Stopwatch.GetTimestamp();

        public void Dispose() => run.StepTimings[step] = (long)Stopwatch.GetElapsedTime(_started).TotalMilliseconds;
    }
}
