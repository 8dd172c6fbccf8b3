using CallPipeline.DevDoubles.Speech;

namespace CallPipeline.DevDoubles.OpenAi.Audio;

/// <summary>
/// The transcript the double answers: what the simulated caller said for that recording, as the Twilio double
/// registered it. A recording split into parts gets the whole text on part 1 and silence on later parts: the double
/// cannot know how many parts there will be, and the worker joining parts in order then yields the spoken text once.
/// An unknown recording sounds like silence: empty text.
/// </summary>
public sealed class SpokenTranscript(SpokenTextRegistry registry)
{
    public string For(RecordingFileName name)
    {
        if (name.RecordingSid is null || name.Part is > 1)
        {
            return "";
        }
        return registry.Find(name.RecordingSid) ?? "";
    }
}
