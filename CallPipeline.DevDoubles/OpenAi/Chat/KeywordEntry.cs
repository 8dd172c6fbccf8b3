namespace CallPipeline.DevDoubles.OpenAi.Chat;

/// <summary>One known city or service: its name in Hebrew and English, and the words that reveal it.</summary>
public sealed record KeywordEntry(string Hebrew, string English, IReadOnlyList<string> HebrewWords, IReadOnlyList<string> EnglishWords);
