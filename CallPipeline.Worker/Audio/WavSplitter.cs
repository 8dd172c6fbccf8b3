using CallPipeline.Twilio.Audio;

namespace CallPipeline.Worker.Audio;

/// <summary>Cuts a PCM WAV at given times by copying sample ranges; each part gets its own header. Exact, and needs no re-encoding.</summary>
public static class WavSplitter
{
    public static async Task SplitAsync(string wavPath, WavInfo info, IReadOnlyList<double> cutSeconds, IReadOnlyList<string> partPaths, CancellationToken cancellationToken)
    {
        if (partPaths.Count != cutSeconds.Count + 1)
        {
            throw new ArgumentException("One path per part is needed.", nameof(partPaths));
        }
        var boundaries = cutSeconds
            .Select(seconds => Math.Min(info.DataLength, (long)(seconds * info.SampleRate) * info.BlockAlign))
            .Prepend(0)
            .Append(info.DataLength)
            .ToArray();
        await using var source = File.OpenRead(wavPath);
        for (var part = 0; part < partPaths.Count; part++)
        {
            var length = boundaries[part + 1] - boundaries[part];
            await using var target = File.Create(partPaths[part]);
            await target.WriteAsync(info.CanonicalHeader(length), cancellationToken);
            source.Seek(info.DataOffset + boundaries[part], SeekOrigin.Begin);
            await CopyAsync(source, target, length, cancellationToken);
        }
    }

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
