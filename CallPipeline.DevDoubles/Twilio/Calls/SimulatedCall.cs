using CallPipeline.DevDoubles.Speech;
using CallPipeline.DevDoubles.Twilio.Recordings;

namespace CallPipeline.DevDoubles.Twilio.Calls;

/// <summary>
/// One call the double carries, inbound from the simulator or outbound through Calls.json: where Twilio would send
/// its webhooks, what the caller says, and what has happened so far.
/// </summary>
public sealed class SimulatedCall
{
    private readonly Lock _gate = new();
    private readonly List<SimulatedCallEvent> _events = [];
    private readonly List<Task> _pendingCallbacks = [];
    private readonly CancellationTokenSource _hangUp = new();
    private int _sequenceNumber;

    public required string CallSid { get; init; }

    public required string AccountSid { get; init; }

    public required string From { get; init; }

    public required string To { get; init; }

    /// <summary>Twilio's Direction: inbound or outbound-api.</summary>
    public required string Direction { get; init; }

    public required CallOutcome Outcome { get; init; }

    /// <summary>What the remote party (the caller, or the called party on outbound calls) says; null for silence.</summary>
    public required string? Text { get; init; }

    /// <summary>Audio the caller plays instead of the spoken text (any format ffmpeg reads); null to speak the text.</summary>
    public byte[]? Audio { get; init; }

    /// <summary>Both sides scripted, each line at its time; when set, <see cref="Text"/> and <see cref="Audio"/> are not used.</summary>
    public IReadOnlyList<ConversationLine>? Conversation { get; init; }

    /// <summary>Keypad digits the caller presses after speaking (sent as dtmf messages); null for none.</summary>
    public string? Digits { get; init; }

    /// <summary>Where Twilio fetches TwiML (the Url of the phone number or of Calls.json).</summary>
    public required string TwimlUrl { get; init; }

    public required string? StatusCallback { get; init; }

    /// <summary>StatusCallbackEvent values asked for (initiated ringing answered completed); the terminal event is always sent.</summary>
    public required IReadOnlySet<string> StatusCallbackEvents { get; init; }

    public DateTimeOffset CreatedAt { get; } = DateTimeOffset.UtcNow;

    public string Status { get; private set; } = CallStatuses.Queued;

    public DateTimeOffset? AnsweredAt { get; private set; }

    public DateTimeOffset? EndedAt { get; private set; }

    /// <summary>Call time from answer to hang-up, in seconds, on the media timeline (so a fast-paced call reports a real call's length).</summary>
    public int? DurationSeconds { get; private set; }

    public string? StreamSid { get; set; }

    /// <summary>What went over the Media Stream, once one is open.</summary>
    public MediaStreamCounters? Stream { get; set; }

    public string? Error { get; private set; }

    public CallRecording? Recording { get; private set; }

    /// <summary>Call time (from the answer) of the recording's first sample; null when nothing was recorded.</summary>
    public TimeSpan? RecordingStartsAt { get; set; }

    /// <summary>What was said and where the recording holds it (seconds from the recording's start), once the stream ended.</summary>
    public IReadOnlyList<SpokenLine> Spoken { get; set; } = [];

    /// <summary>The words of the whole call: the caller's text, or a conversation's lines as they were played.</summary>
    public string SpokenText => Conversation is null
        ? Text ?? ""
        : string.Join(' ', Spoken.OrderBy(line => line.Start).Select(line => line.Text));

    /// <summary>Cancelled when the call is hung up through the REST API.</summary>
    public CancellationToken HangUpRequested => _hangUp.Token;

    public IReadOnlyList<SimulatedCallEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    public void Record(string name, string? detail = null)
    {
        lock (_gate)
        {
            _events.Add(new SimulatedCallEvent(DateTimeOffset.UtcNow, name, detail));
        }
    }

    public void MoveTo(string status)
    {
        lock (_gate)
        {
            Status = status;
            if (status == CallStatuses.InProgress)
            {
                AnsweredAt ??= DateTimeOffset.UtcNow;
            }
            _events.Add(new SimulatedCallEvent(DateTimeOffset.UtcNow, "status", status));
        }
    }

    public void End(string status, TimeSpan callTime)
    {
        lock (_gate)
        {
            Status = status;
            EndedAt = DateTimeOffset.UtcNow;
            DurationSeconds = AnsweredAt is null ? 0 : (int)Math.Ceiling(callTime.TotalSeconds);
            _events.Add(new SimulatedCallEvent(DateTimeOffset.UtcNow, "status", status));
        }
    }

    public void Fail(string error)
    {
        lock (_gate)
        {
            Error = error;
            _events.Add(new SimulatedCallEvent(DateTimeOffset.UtcNow, "error", error));
        }
    }

    /// <summary>Attaches a recording unless one is running; false when the call already records.</summary>
    public bool TryStartRecording(CallRecording recording)
    {
        lock (_gate)
        {
            if (Recording is { IsRecording: true })
            {
                return false;
            }
            Recording = recording;
            _events.Add(new SimulatedCallEvent(DateTimeOffset.UtcNow, "recording-started", recording.Sid));
            return true;
        }
    }

    public void RequestHangUp() => _hangUp.Cancel();

    /// <summary>Twilio's SequenceNumber for call status callbacks: 0, 1, 2… per call.</summary>
    public int NextSequenceNumber() => Interlocked.Increment(ref _sequenceNumber) - 1;

    /// <summary>Callbacks sent while the call runs (recording in-progress) finish before the final ones are sent.</summary>
    public void TrackCallback(Task callback)
    {
        lock (_gate)
        {
            _pendingCallbacks.Add(callback);
        }
    }

    public Task PendingCallbacks()
    {
        lock (_gate)
        {
            return Task.WhenAll(_pendingCallbacks);
        }
    }
}
