using CallPipeline.DevDoubles.Speech;

namespace CallPipeline.DevDoubles.OpenAi.Audio;

/// <summary>
/// The transcript the double answers, from what the Twilio double registered for that recording:
/// <list type="bullet">
/// <item>a channel's audio (<c>.ch{C}.at{ms}</c>): the utterances of that channel whose middle falls within the
/// upload, with their times relative to the upload, as a real model hears only what is in the file;</item>
/// <item>a whole recording: its whole text, with every utterance known;</item>
/// <item>a part of a one-channel recording: the whole text on part 1 and silence on later parts (the double cannot
/// know how many parts there will be, and the worker joining parts in order then yields the spoken text once).</item>
/// </list>
/// An unknown recording sounds like silence: empty text.
/// </summary>
public sealed class SpokenTranscript(SpokenTextRegistry registry)
{
    public SpokenAnswer For(RecordingFileName name, double durationSeconds)
    {
        if (name.RecordingSid is not { } sid || name.Part is > 1)
        {
            return SpokenAnswer.Silence;
        }
        if (name is { Channel: { } channel, OffsetSeconds: { } offset })
        {
            var heard = registry.LinesOf(sid)
                .Where(line => line.Channel == channel && line.Middle >= offset && line.Middle < offset + durationSeconds)
                .Select(line => new SpokenSegment(Math.Max(0, line.Start - offset), Math.Min(durationSeconds, line.End - offset), line.Text))
                .ToList();
            return new SpokenAnswer(string.Join(' ', heard.Select(segment => segment.Text)), heard);
        }
        var text = registry.Find(sid) ?? "";
        var lines = registry.LinesOf(sid);
        IReadOnlyList<SpokenSegment> segments = lines.Count > 0
            ? lines.Select(line => new SpokenSegment(line.Start, Math.Min(durationSeconds, line.End), line.Text)).ToList()
            : text.Length == 0 ? [] : [new SpokenSegment(0, durationSeconds, text)];
        return new SpokenAnswer(text, segments);
    }
}

/// <summary>The text answered and its segments (seconds from the upload's start), as whisper-1's verbose_json lists them.</summary>
public sealed record SpokenAnswer(string Text, IReadOnlyList<SpokenSegment> Segments)
{
    public static readonly SpokenAnswer Silence = new("", []);
}

public sealed record SpokenSegment(double Start, double End, string Text);
