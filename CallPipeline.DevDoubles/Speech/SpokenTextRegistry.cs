using System.Collections.Concurrent;

namespace CallPipeline.DevDoubles.Speech;

/// <summary>
/// What each simulated recording says. The Twilio double registers the caller's text under the RecordingSid it
/// creates; the OpenAI double answers a transcription with it, keyed by the RecordingSid in the uploaded file name,
/// because the double cannot recognise speech.
/// </summary>
public sealed class SpokenTextRegistry
{
    private readonly ConcurrentDictionary<string, string> _textByRecordingSid = new(StringComparer.Ordinal);

    public void Register(string recordingSid, string text) => _textByRecordingSid[recordingSid] = text;

    public string? Find(string recordingSid) => _textByRecordingSid.GetValueOrDefault(recordingSid);
}
