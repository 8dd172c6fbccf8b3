using System.Collections.Concurrent;

namespace CallPipeline.DevDoubles.Twilio.Recordings;

/// <summary>Every recording the double made, by RecordingSid.</summary>
public sealed class RecordingRegistry
{
    private readonly ConcurrentDictionary<string, CallRecording> _bySid = new(StringComparer.Ordinal);

    public void Add(CallRecording recording) => _bySid[recording.Sid] = recording;

    public CallRecording? Find(string recordingSid) => _bySid.GetValueOrDefault(recordingSid);

    public bool Remove(string recordingSid) => _bySid.TryRemove(recordingSid, out _);
}
