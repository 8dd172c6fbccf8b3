using CallPipeline.Twilio.Audio;

namespace CallPipeline.Worker.Audio;

/// <summary>Cuts a PCM WAV at given times by copying sample ranges; each piece gets its own header. Exact, and needs no re-encoding.</summary>
public static class WavSplitter
{
    /// <summary>Splits the whole file at <paramref name="cutSeconds"/> into consecutive parts.</summary>
    public static Task SplitAsync(string wavPath, WavInfo info, IReadOnlyList<double> cutSeconds, IReadOnlyList<string> partPaths, CancellationToken cancellationToken)
    {
        if (partPaths.Count != cutSeconds.Count + 1)
        {
            throw new ArgumentException("One path per part is needed.", nameof(partPaths));
        }
        var boundaries = cutSeconds.Prepend(0).Append(double.PositiveInfinity).ToArray();
        var ranges = boundaries.Zip(boundaries.Skip(1)).ToList();
        return CutAsync(wavPath, info, ranges, partPaths, cancellationToken);
    }

    /// <summary>Copies each range (seconds; an end past the audio stops at its end) into its own WAV file.</summary>
    public static async Task CutAsync(
        string wavPath, WavInfo info, IReadOnlyList<(double Start, double End)> ranges, IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        if (paths.Count != ranges.Count)
        {
            throw new ArgumentException("One path per range is needed.", nameof(paths));
        }
        await using var source = File.OpenRead(wavPath);
        for (var i = 0; i < ranges.Count; i++)
        {
            var start = Offset(info, ranges[i].Start);
            var length = Math.Max(0, Offset(info, ranges[i].End) - start);
            await using var target = File.Create(paths[i]);
            await target.WriteAsync(info.CanonicalHeader(length), cancellationToken);
            source.Seek(info.DataOffset + start, SeekOrigin.Begin);
            await CopyAsync(source, target, length, cancellationToken);
        }
    }

    /// <summary>The byte offset of a time within the samples, on a whole sample frame and never past the end.</summary>
    private static long Offset(WavInfo info, double seconds) =>
        double.IsPositiveInfinity(seconds) ? info.DataLength : Math.Min(info.DataLength, (long)(Math.Max(0, seconds) * info.SampleRate) * info.BlockAlign);

    private static async Task CopyAsync(Stream source, Stream target, long length, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        while (length > 0)
        {
            var read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, length)), cancellationToken);
            if (read == 0)
            {
                break;
            }
            await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            length -= read;
        }
    }
}
