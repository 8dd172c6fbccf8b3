using System.Globalization;
using System.Text.RegularExpressions;

namespace CallPipeline.DevDoubles.OpenAi.Audio;

/// <summary>
/// What the worker's upload name says: <c>{RecordingSid}.wav</c>, or <c>{RecordingSid}.part{N}.wav</c> for a long
/// recording split into parts. The double answers from it because it cannot recognise speech.
/// </summary>
public sealed partial record RecordingFileName(string? RecordingSid, int? Part)
{
    public static RecordingFileName Parse(string fileName)
    {
        var sid = RecordingSidPattern().Match(fileName);
        var part = PartPattern().Match(fileName);
        return new RecordingFileName(
            sid.Success ? sid.Value : null,
            part.Success ? int.Parse(part.Groups[1].ValueSpan, CultureInfo.InvariantCulture) : null);
    }

    [GeneratedRegex("RE[0-9a-fA-F]{32}", RegexOptions.CultureInvariant)]
    private static partial Regex RecordingSidPattern();

    [GeneratedRegex(@"\.part([0-9]{1,4})\.", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex PartPattern();
}
