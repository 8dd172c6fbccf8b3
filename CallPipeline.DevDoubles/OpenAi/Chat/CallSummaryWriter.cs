namespace CallPipeline.DevDoubles.OpenAi.Chat;

/// <summary>
/// The double's deterministic "summary": who the call was for, the facts it understood (so an extraction from the
/// summary finds them again), and the opening sentences of the longest block of the user's text, which is the
/// transcript when a prompt wraps it in instructions.
/// </summary>
public static class CallSummaryWriter
{
    private const int MaxExcerptLength = 240;

    public static string Write(string userText, string? businessName)
    {
        var facts = CallFacts.From(userText, businessName);
        var hebrew = userText.Any(c => c is >= '\u0590' and <= '\u05FF');
        var heading = (hebrew, businessName) switch
        {
            (true, { } name) => $"סיכום שיחה עבור {name}:",
            (true, null) => "סיכום שיחה:",
            (false, { } name) => $"Call summary for {name}:",
            (false, null) => "Call summary:",
        };
        return string.Join(' ', new[] { heading, FactsSentence(facts, hebrew), Excerpt(userText) }.Where(part => part.Length > 0));
    }

    private static string FactsSentence(CallFacts facts, bool hebrew)
    {
        var caller = facts.CustomerName ?? (hebrew ? "הלקוח" : "The caller");
        return (facts.Service, facts.City, hebrew) switch
        {
            ({ } service, { } city, true) => $"{caller} מבקש {service} ב{city}.",
            ({ } service, null, true) => $"{caller} מבקש {service}.",
            (null, { } city, true) => $"{caller} נמצא ב{city}.",
            ({ } service, { } city, false) => $"{caller} needs a {service} in {city}.",
            ({ } service, null, false) => $"{caller} needs a {service}.",
            (null, { } city, false) => $"{caller} is in {city}.",
            _ => "",
        };
    }

    private static string Excerpt(string userText)
    {
        var block = userText.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .OrderByDescending(line => line.Length)
            .FirstOrDefault() ?? "";
        var sentences = new List<string>();
        var start = 0;
        for (var i = 0; i < block.Length && sentences.Count < 2; i++)
        {
            if (block[i] is '.' or '?' or '!')
            {
                sentences.Add(block[start..(i + 1)].Trim());
                start = i + 1;
            }
        }
        if (sentences.Count < 2 && start < block.Length)
        {
            sentences.Add(block[start..].Trim());
        }
        var excerpt = string.Join(' ', sentences.Where(sentence => sentence.Length > 0));
        return excerpt.Length <= MaxExcerptLength ? excerpt : excerpt[..MaxExcerptLength].TrimEnd() + "…";
    }
}
