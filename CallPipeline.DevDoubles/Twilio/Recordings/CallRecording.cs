namespace CallPipeline.DevDoubles.Twilio.Recordings;

/// <summary>
/// One recording started through <c>POST …/Calls/{CallSid}/Recordings.json</c>: what the gateway asked for, the file
/// being written while the call runs, and when its media becomes downloadable.
/// </summary>
public sealed class CallRecording
{
    private readonly Lock _gate = new();
    private RecordingWavWriter? _writer;

    public CallRecording(string sid, string callSid, string accountSid, RecordingRequest request, string folder, DateTimeOffset startTime)
    {
        Sid = sid;
        CallSid = callSid;
        AccountSid = accountSid;
        Request = request;
        StartTime = startTime;
        FilePath = Path.Combine(folder, $"{sid}.wav");
        MonoFilePath = Channels == 2 ? Path.Combine(folder, $"{sid}.mono.wav") : FilePath;
        _writer = new RecordingWavWriter(FilePath, Channels);
    }

    public string Sid { get; }

    public string CallSid { get; }

    public string AccountSid { get; }

    public RecordingRequest Request { get; }

    public int Channels => Request.Dual ? 2 : 1;

    public string Source => "StartCallRecordingAPI";

    public DateTimeOffset StartTime { get; }

    /// <summary>The file as recorded: two channels for a dual recording.</summary>
    public string FilePath { get; }

    /// <summary>The mixed single channel Twilio serves by default.</summary>
    public string MonoFilePath { get; }

    public string Status { get; private set; } = RecordingStatuses.InProgress;

    public int? DurationSeconds { get; private set; }

    public int? ErrorCode { get; private set; }

    /// <summary>Media answers 404 until then (propagation delay after the completed callback).</summary>
    public DateTimeOffset? MediaAvailableFrom { get; private set; }

    public bool IsRecording
    {
        get
        {
            lock (_gate)
            {
                return _writer is not null;
            }
        }
    }

    public void WriteFrame(ReadOnlySpan<short> caller, ReadOnlySpan<short> gateway)
    {
        lock (_gate)
        {
            _writer?.WriteFrame(caller, gateway);
        }
    }

    /// <summary>
    /// Ends the recording with the call: completed with its duration, or absent (Twilio error 16101, too short) when
    /// not one frame was recorded.
    /// </summary>
    public void Finish()
    {
        lock (_gate)
        {
            if (_writer is null)
            {
                return;
            }
            var frames = _writer.SampleFrames;
            _writer.Complete();
            _writer = null;
            if (frames == 0)
            {
                Status = RecordingStatuses.Absent;
                ErrorCode = 16101;
                return;
            }
            if (Channels == 2)
            {
                MonoMixdown.Write(FilePath, MonoFilePath);
            }
            DurationSeconds = Math.Max(1, (int)Math.Round(frames / (double)RecordingWavWriter.SampleRate, MidpointRounding.AwayFromZero));
            Status = RecordingStatuses.Completed;
            ErrorCode = 0;
        }
    }

    /// <summary>Removes every file the recording is served from: as recorded, mixed to one channel, and any MP3 made of them.</summary>
    public void DeleteFiles()
    {
        foreach (var path in new[] { FilePath, MonoFilePath }.Distinct())
        {
            File.Delete(path);
            File.Delete(Path.ChangeExtension(path, ".mp3"));
        }
    }

    public void MakeMediaAvailableAfter(DateTimeOffset now, TimeSpan delay) => MediaAvailableFrom = now + delay;

    public bool IsMediaAvailable(DateTimeOffset now) =>
        Status == RecordingStatuses.Completed && MediaAvailableFrom is { } from && now >= from;
}
