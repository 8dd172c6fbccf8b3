using System.Collections.Concurrent;

namespace CallPipeline.DevDoubles.Speech;

/// <summary>
/// What each simulated recording says. The Twilio double registers, under the RecordingSid it creates, the text of the
/// call and every utterance with its channel and its times in the recording; the OpenAI double answers transcriptions
/// from it, keyed by the RecordingSid in the uploaded file name, because the double cannot recognise speech.
/// </summary>
public sealed class SpokenTextRegistry
{
    private readonly ConcurrentDictionary<string, (string Text, IReadOnlyList<SpokenLine> Lines)> _byRecordingSid = new(StringComparer.Ordinal);

    /// <summary>The whole recording's text, with no utterance known by channel and time.</summary>
    public void Register(string recordingSid, string text) => Register(recordingSid, text, []);

    public void Register(string recordingSid, string text, IReadOnlyList<SpokenLine> lines) => _byRecordingSid[recordingSid] = (text, lines);

    public string? Find(string recordingSid) => _byRecordingSid.TryGetValue(recordingSid, out var spoken) ? spoken.Text : null;

    /// <summary>The recording's utterances in time order; empty for a recording registered with text only, or unknown.</summary>
    public IReadOnlyList<SpokenLine> LinesOf(string recordingSid) =>
        _byRecordingSid.TryGetValue(recordingSid, out var spoken) ? spoken.Lines : [];
}
