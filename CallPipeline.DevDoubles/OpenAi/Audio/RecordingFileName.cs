using System.Globalization;
using System.Text.RegularExpressions;

namespace CallPipeline.DevDoubles.OpenAi.Audio;

/// <summary>
/// What the worker's upload name says: <c>{RecordingSid}.wav</c>, <c>{RecordingSid}.part{N}.wav</c> for a long
/// one-channel recording split into parts, or <c>{RecordingSid}.ch{C}.at{ms}.wav</c> for audio of channel C starting
/// ms milliseconds into the recording. The double answers from it because it cannot recognise speech.
/// </summary>
public sealed partial record RecordingFileName(string? RecordingSid, int? Part, int? Channel = null, double? OffsetSeconds = null)
{
    public static RecordingFileName Parse(string fileName)
    {
        var sid = RecordingSidPattern().Match(fileName);
        var part = PartPattern().Match(fileName);
        var channel = ChannelPattern().Match(fileName);
        return new RecordingFileName(
            sid.Success ? sid.Value : null,
            part.Success ? int.Parse(part.Groups[1].ValueSpan, CultureInfo.InvariantCulture) : null,
            channel.Success ? int.Parse(channel.Groups["channel"].ValueSpan, CultureInfo.InvariantCulture) : null,
            channel.Success ? long.Parse(channel.Groups["ms"].ValueSpan, CultureInfo.InvariantCulture) / 1000.0 : null);
    }

    [GeneratedRegex("RE[0-9a-fA-F]{32}", RegexOptions.CultureInvariant)]
    private static partial Regex RecordingSidPattern();

    [GeneratedRegex(@"\.part([0-9]{1,4})\.", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex PartPattern();

    [GeneratedRegex(@"\.ch(?<channel>[12])\.at(?<ms>[0-9]{1,10})\.", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ChannelPattern();
}
