namespace CallPipeline.DevDoubles.OpenAi.Audio;

/// <summary>
/// Recognises the containers OpenAI transcribes by their magic bytes, because OpenAI decodes the upload and rejects
/// bytes that are not audio whatever the file is called.
/// </summary>
public static class AudioFormatSniffer
{
    /// <summary>File name extensions OpenAI accepts for transcription.</summary>
    public static IReadOnlySet<string> SupportedExtensions { get; } =
        new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "flac", "m4a", "mp3", "mp4", "mpeg", "mpga", "oga", "ogg", "wav", "webm" };

    /// <summary>wav, mp3, ogg, flac, mp4 or webm; null when the bytes are none of them.</summary>
    public static string? Detect(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 12 && head[..4].SequenceEqual("RIFF"u8) && head[8..12].SequenceEqual("WAVE"u8))
        {
            return "wav";
        }
        if (head.Length >= 4 && head[..4].SequenceEqual("OggS"u8))
        {
            return "ogg";
        }
        if (head.Length >= 4 && head[..4].SequenceEqual("fLaC"u8))
        {
            return "flac";
        }
        if (head.Length >= 12 && head[4..8].SequenceEqual("ftyp"u8))
        {
            return "mp4";
        }
        if (head.Length >= 4 && head[..4].SequenceEqual((ReadOnlySpan<byte>)[0x1A, 0x45, 0xDF, 0xA3]))
        {
            return "webm";
        }
        if (head.Length >= 3 && head[..3].SequenceEqual("ID3"u8))
        {
            return "mp3";
        }
        return IsMpegAudioFrame(head) ? "mp3" : null;
    }

    // An MPEG audio frame header: 11 sync bits, a defined version and layer, and a usable bitrate and sample rate index.
    private static bool IsMpegAudioFrame(ReadOnlySpan<byte> head) =>
        head.Length >= 4
        && head[0] == 0xFF
        && (head[1] & 0xE0) == 0xE0
        && (head[1] & 0x18) != 0x08
        && (head[1] & 0x06) != 0x00
        && (head[2] & 0xF0) != 0xF0
        && (head[2] & 0x0C) != 0x0C;
}
