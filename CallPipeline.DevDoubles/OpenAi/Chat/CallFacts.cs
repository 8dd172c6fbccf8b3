using System.Text.RegularExpressions;

namespace CallPipeline.DevDoubles.OpenAi.Chat;

/// <summary>
/// What the double "understands" from a call's text: the first known city and service mentioned (named in the
/// language they were mentioned in), the caller's name after "קוראים לי", "שמי" or "my name is", and a confidence:
/// 0.9 with both city and service, 0.5 with one of them, 0.1 with neither. The business's own name is not a fact
/// about the call ("Demo Plumbing" in a summary's heading says nothing about what the caller needs), so it is ignored.
/// A transcript labelled by speaker ("לקוח:" / "נציג:", "Caller:" / "Agent:" at the start of lines) is read as a model
/// told who is who reads it: the facts come from the caller's lines only.
/// </summary>
public sealed partial record CallFacts(string? City, string? Service, string? CustomerName, double Confidence)
{
    public static CallFacts From(string text, string? businessName = null)
    {
        text = CallerWords(text);
        if (!string.IsNullOrWhiteSpace(businessName))
        {
            text = text.Replace(businessName, " ", StringComparison.OrdinalIgnoreCase);
        }
        var city = KeywordMatcher.FindFirst(text, KeywordTables.Cities);
        var service = KeywordMatcher.FindFirst(text, KeywordTables.Services);
        var name = NamePattern().Match(text);
        var found = (city is null ? 0 : 1) + (service is null ? 0 : 1);
        return new CallFacts(
            city is { } c ? (c.InHebrew ? c.Entry.Hebrew : c.Entry.English) : null,
            service is { } s ? (s.InHebrew ? s.Entry.Hebrew : s.Entry.English) : null,
            name.Success ? name.Groups["name"].Value : null,
            found switch { 2 => 0.9, 1 => 0.5, _ => 0.1 });
    }

    /// <summary>The caller's lines of a speaker-labelled transcript; any other text as it is.</summary>
    public static string CallerWords(string text)
    {
        var lines = text.Split('\n');
        var labelled = lines.Select(line => SpeakerLabel().Match(line)).ToList();
        if (!labelled.Any(match => match.Success))
        {
            return text;
        }
        return string.Join('\n', labelled.Where(match => match.Success && match.Groups["caller"].Success).Select(match => match.Groups["words"].Value));
    }

    [GeneratedRegex(@"^\s*(?:(?<caller>לקוח|Caller)|(?<line>נציג|Agent))\s*:\s*(?<words>.*)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SpeakerLabel();

    [GeneratedRegex(@"(?<!\p{L})(?:קוראים לי|השם שלי הוא|השם שלי|שמי|my name is|my name's)\s+(?<name>\p{L}[\p{L}'\-]*)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
