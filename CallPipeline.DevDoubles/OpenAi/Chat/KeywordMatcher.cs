namespace CallPipeline.DevDoubles.OpenAi.Chat;

/// <summary>
/// Finds the entry mentioned first in a text, as whole words. Hebrew attaches prepositions and conjunctions to the
/// word (בתל אביב, ולחיפה), so up to two of those prefix letters may precede a Hebrew word.
/// </summary>
public static class KeywordMatcher
{
    private const string HebrewPrefixLetters = "בלמהוכש";

    /// <summary>The entry mentioned earliest, and whether it was mentioned in Hebrew; null when none is.</summary>
    public static (KeywordEntry Entry, bool InHebrew)? FindFirst(string text, IReadOnlyList<KeywordEntry> entries)
    {
        (KeywordEntry Entry, bool InHebrew, int Index)? best = null;
        foreach (var entry in entries)
        {
            foreach (var (words, hebrew) in new[] { (entry.HebrewWords, true), (entry.EnglishWords, false) })
            {
                foreach (var word in words)
                {
                    var index = IndexOfWord(text, word, hebrew);
                    if (index >= 0 && (best is null || index < best.Value.Index))
                    {
                        best = (entry, hebrew, index);
                    }
                }
            }
        }
        return best is { } found ? (found.Entry, found.InHebrew) : null;
    }

    private static int IndexOfWord(string text, string word, bool hebrew)
    {
        for (var index = text.IndexOf(word, StringComparison.OrdinalIgnoreCase); index >= 0;
             index = text.IndexOf(word, index + 1, StringComparison.OrdinalIgnoreCase))
        {
            var end = index + word.Length;
            if ((end == text.Length || !char.IsLetter(text[end])) && StartsAWord(text, index, hebrew))
            {
                return index;
            }
        }
        return -1;
    }

    private static bool StartsAWord(string text, int index, bool hebrew)
    {
        var start = index;
        while (hebrew && start > 0 && index - start < 2 && HebrewPrefixLetters.Contains(text[start - 1]))
        {
            start--;
            if (start == 0 || !char.IsLetter(text[start - 1]))
            {
                return true;
            }
        }
        return index == 0 || !char.IsLetter(text[index - 1]);
    }
}
