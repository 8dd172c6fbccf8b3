namespace CallPipeline.Benchmarks.Pipeline;

/// <summary>One line of a scripted call: who says it, what, and when (seconds of call time from the answer).</summary>
public sealed record ConversationLine(string Speaker, string Text, double At);

/// <summary>
/// Calls for the pipeline benchmarks, in the simulator's conversation form: the business's line and the caller take
/// turns in Hebrew, one line every five seconds, so a call lasts about as long as asked. The Twilio double speaks each
/// line with espeak-ng and ffmpeg into the call, records both channels, and tells the OpenAI double the words.
/// </summary>
public static class Conversation
{
    private const double Spacing = 5;

    private static readonly (string Speaker, string Text)[] Script =
    [
        ("line", "שלום, הגעתם לאינסטלציה בתל אביב. במה אפשר לעזור?"),
        ("caller", "שלום, קוראים לי דני, יש לי נזילה במטבח."),
        ("line", "מאיפה אתה מתקשר, ובאיזו כתובת הנזילה?"),
        ("caller", "אני גר ברמת גן, ברחוב ביאליק שלוש."),
        ("line", "הנזילה מתחת לכיור או מהקיר?"),
        ("caller", "מתחת לכיור, והמים כבר על הרצפה."),
        ("line", "תסגור בבקשה את הברז הראשי של הדירה."),
        ("caller", "סגרתי, אבל עדיין מטפטף קצת."),
        ("line", "אינסטלטור יכול להגיע מחר בבוקר בשמונה."),
        ("caller", "מחר בבוקר מתאים לי, תודה רבה."),
        ("line", "מעולה, נשלח לך הודעה עם פרטי הביקור."),
        ("caller", "תודה, להתראות."),
    ];

    /// <summary>Lines every five seconds from the first second, as many as fit a call of <paramref name="seconds"/> (the last one about four seconds before its end).</summary>
    public static IReadOnlyList<ConversationLine> Lasting(double seconds)
    {
        var count = Math.Max(1, (int)((seconds - 5) / Spacing) + 1);
        return Enumerable.Range(0, count)
            .Select(i => new ConversationLine(Script[i % Script.Length].Speaker, Script[i % Script.Length].Text, 1 + (i * Spacing)))
            .ToList();
    }
}
