using System.Text.RegularExpressions;

namespace CallPipeline.DevDoubles.OpenAi.Chat;

/// <summary>
/// The business a chat request speaks for, read from its system (or developer) messages: a labelled line
/// ("Business name: X", "Business: X", "Company: X", "שם העסק: X", "עסק: X"), else a quoted name after "for", "of",
/// "business", "עבור", "של" or "העסק" (the worker writes 'for the business "X"'), else "assistant for X".
/// </summary>
public static partial class BusinessContext
{
    public static string? NameIn(string systemText)
    {
        foreach (var pattern in new[] { LabelledName(), QuotedName(), AssistantFor() })
        {
            var match = pattern.Match(systemText);
            if (match.Success && match.Groups["name"].Value.Trim() is { Length: > 0 } name)
            {
                return name;
            }
        }
        return null;
    }

    [GeneratedRegex(@"(?:business name|business|company|שם העסק|העסק|עסק)\s*[:：]\s*[""“״']?(?<name>[^\n""”״';,.]+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LabelledName();

    [GeneratedRegex(@"(?:\bfor|\bof|\bbusiness|עבור|של|העסק)\s+(?:the business\s+)?[""“״](?<name>[^""”״\n]+)[""”״]", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex QuotedName();

    [GeneratedRegex(@"\b(?:assistant|receptionist)\s+(?:for|of|at)\s+(?<name>[^\n,.;()]+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AssistantFor();
}
