using Microsoft.Extensions.Options;

namespace CallPipeline.Voice.Calls;

/// <summary>
/// The calls this gateway instance carries at once, against <c>Voice:MaxConcurrentCalls</c>. A call takes a place when
/// it is answered with a media stream and gives it back when its stream ends; a place whose stream never arrives is
/// given back after <see cref="StreamArrivalWait"/>. Places are per instance: each replica guards its own CPU.
/// </summary>
public sealed class CallCapacity(IOptions<VoiceOptions> options, TimeProvider time)
{
    /// <summary>Twilio opens the stream within a second or two of the TwiML; a place held longer was not used.</summary>
    public static readonly TimeSpan StreamArrivalWait = TimeSpan.FromSeconds(30);

    private readonly Lock _lock = new();
    /// <summary>CallSid to when its unused place expires; <see cref="DateTimeOffset.MaxValue"/> once its stream is live.</summary>
    private readonly Dictionary<string, DateTimeOffset> _places = [];

    public int Limit => options.Value.MaxConcurrentCalls;

    /// <summary>Places taken now: live streams and answered calls whose stream has not arrived yet.</summary>
    public int InUse
    {
        get
        {
            lock (_lock)
            {
                RemoveExpired();
                return _places.Count;
            }
        }
    }

    /// <summary>Takes a place for a call about to be answered; false when the instance is full. Asking again for the same call is free.</summary>
    public bool TryReserve(string callSid)
    {
        lock (_lock)
        {
            if (_places.ContainsKey(callSid))
            {
                return true;
            }
            RemoveExpired();
            if (_places.Count >= Limit)
            {
                return false;
            }
            _places[callSid] = time.GetUtcNow() + StreamArrivalWait;
            return true;
        }
    }

    /// <summary>The call's stream is live: its place is held until <see cref="Release"/>, reserved or not.</summary>
    public void Streaming(string callSid)
    {
        lock (_lock)
        {
            _places[callSid] = DateTimeOffset.MaxValue;
        }
    }

    public void Release(string callSid)
    {
        lock (_lock)
        {
            _places.Remove(callSid);
        }
    }

    private void RemoveExpired()
    {
        var now = time.GetUtcNow();
        foreach (var (callSid, expires) in _places)
        {
            if (expires <= now)
            {
                _places.Remove(callSid);
            }
        }
    }
}
