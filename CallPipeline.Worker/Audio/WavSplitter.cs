using CallPipeline.Twilio.Audio;

namespace CallPipeline.Worker.Audio;

/// <summary>
/// Cuts a PCM WAV at given times into slices of its samples, each sent as a WAV of its own (<see cref="WavSlice"/>).
/// Exact, needs no re-encoding, and writes nothing: a turn's audio is read from the channel's file when it is uploaded,
/// where cutting it into files of its own cost each job about a dozen files written, read back and deleted.
/// </summary>
public static class WavSplitter
{
    /// <summary>The whole audio cut at <paramref name="cutSeconds"/> into consecutive slices.</summary>
    public static IReadOnlyList<WavSlice> Split(WavInfo info, IReadOnlyList<double> cutSeconds)
    {
        var boundaries = cutSeconds.Prepend(0).Append(double.PositiveInfinity).ToArray();
        return Cut(info, [.. boundaries.Zip(boundaries.Skip(1))]);
    }

    /// <summary>One slice per range (seconds; an end past the audio stops at its end).</summary>
    public static IReadOnlyList<WavSlice> Cut(WavInfo info, IReadOnlyList<(double Start, double End)> ranges) =>
        [.. ranges.Select(range =>
        {
            var start = Offset(info, range.Start);
            var length = Math.Max(0, Offset(info, range.End) - start);
            return new WavSlice(info.DataOffset + start, length, info.CanonicalHeader(length));
        })];

    /// <summary>The byte offset of a time within the samples, on a whole sample frame and never past the end.</summary>
    private static long Offset(WavInfo info, double seconds) =>
        double.IsPositiveInfinity(seconds) ? info.DataLength : Math.Min(info.DataLength, (long)(Math.Max(0, seconds) * info.SampleRate) * info.BlockAlign);
}

/// <summary>
/// <paramref name="Length"/> bytes of samples at <paramref name="Offset"/> in a WAV file, as a WAV of their own: the
/// <paramref name="Header"/> for that length, then the bytes.
/// </summary>
public sealed record WavSlice(long Offset, long Length, byte[] Header)
{
    /// <summary>The slice of <paramref name="path"/> as a whole WAV in memory.</summary>
    public async Task<byte[]> ReadAsync(string path, CancellationToken cancellationToken)
    {
        var wav = new byte[Header.Length + Length];
        Header.CopyTo(wav, 0);
        using var file = File.OpenHandle(path);
        var filled = Header.Length;
        while (filled < wav.Length)
        {
            var read = await RandomAccess.ReadAsync(file, wav.AsMemory(filled), Offset + filled - Header.Length, cancellationToken);
            if (read == 0)
            {
                throw new EndOfStreamException($"The WAV ends {wav.Length - filled} bytes before the slice does.");
            }
            filled += read;
        }
        return wav;
    }
}
