using CallPipeline.Data.Entities;

namespace CallPipeline.Worker.Ai;

/// <summary>
/// The turns as text a person reads: one line per turn, "label: words", with the labels in the business's language
/// ("לקוח:" and "נציג:" in Hebrew, "Caller:" and "Agent:" otherwise). Turns of an unknown speaker have no label. The
/// summary and extraction prompts get this text, so the model is told who said what rather than guessing it.
/// </summary>
public static class SpeakerTranscript
{
    public static (string Caller, string Line) Labels(string? language) =>
        language is "he" or "iw" ? ("לקוח", "נציג") : ("Caller", "Agent");

    public static string Render(IEnumerable<TranscriptTurn> turns, string? language)
    {
        var (caller, line) = Labels(language);
        return string.Join('\n', turns.Select(turn => turn.Role switch
        {
            SpeakerRole.Caller => $"{caller}: {turn.Text}",
            SpeakerRole.Line => $"{line}: {turn.Text}",
            _ => turn.Text,
        }));
    }

    /// <summary>Whether the call's turns say who spoke (a two-channel recording), so prompts can rely on the labels.</summary>
    public static bool HasRoles(CallLog call) =>
        call.TranscriptTurns is { Count: > 0 } turns && turns.Any(turn => turn.Role != SpeakerRole.Unknown) && call.SpeakerTranscript is { Length: > 0 };
}
