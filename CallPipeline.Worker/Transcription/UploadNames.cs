using System.Globalization;

namespace CallPipeline.Worker.Transcription;

/// <summary>
/// The names uploads are sent under. They carry the RecordingSid and, for a turn, its channel and where its audio
/// starts in the recording: a contract with the OpenAI double, which answers by the name because it cannot recognise
/// speech. OpenAI itself reads only the extension.
/// </summary>
public static class UploadNames
{
    /// <summary><c>{stem}.wav</c>: the whole one-channel recording (or the original's own extension when it was not converted).</summary>
    public static string Whole(string stem, string extension = ".wav") => stem + extension;

    /// <summary><c>{stem}.part{N}.wav</c>: part N (from 1) of a one-channel recording over the upload limit.</summary>
    public static string Part(string stem, int part) => string.Create(CultureInfo.InvariantCulture, $"{stem}.part{part}.wav");

    /// <summary><c>{stem}.ch{channel}.at{ms}.wav</c>: a turn's audio on channel 1 or 2, starting <paramref name="offsetSeconds"/> into the recording.</summary>
    public static string Turn(string stem, int channel, double offsetSeconds) =>
        string.Create(CultureInfo.InvariantCulture, $"{stem}.ch{channel}.at{(long)Math.Round(offsetSeconds * 1000)}.wav");
}
