using System.Buffers.Binary;
using System.Diagnostics;
using CallPipeline.Twilio.Audio;

namespace CallPipeline.Tests.Worker.Support;

/// <summary>Small test recordings made with the real ffmpeg (lavfi sine and anullsrc sources).</summary>
internal static class AudioSamples
{
    private static readonly string Directory = Path.Combine(Path.GetTempPath(), "callpipeline-worker-tests");

    /// <summary>A tone as Twilio records it: 8 kHz PCM WAV, two channels by default.</summary>
    public static Task<byte[]> ToneWavAsync(double seconds = 1.5, int channels = 2) =>
        RunAsync(".wav", "-f", "lavfi", "-i", $"sine=frequency=440:duration={seconds}:sample_rate=8000", "-ac", channels.ToString(), "-c:a", "pcm_s16le");

    public static Task<byte[]> ToneMp3Async(double seconds = 1.5) =>
        RunAsync(".mp3", "-f", "lavfi", "-i", $"sine=frequency=440:duration={seconds}:sample_rate=8000", "-ac", "1", "-c:a", "libmp3lame");

    /// <summary>Tone, silence, tone, silence, tone: cut points are expected inside the silences.</summary>
    public static Task<byte[]> TonesWithSilencesAsync(double tone, double silence) =>
        RunAsync(
            ".wav",
            "-f", "lavfi", "-i", $"sine=frequency=440:duration={tone}:sample_rate=8000",
            "-f", "lavfi", "-i", $"anullsrc=r=8000:cl=mono:d={silence}",
            "-f", "lavfi", "-i", $"sine=frequency=660:duration={tone}:sample_rate=8000",
            "-f", "lavfi", "-i", $"anullsrc=r=8000:cl=mono:d={silence}",
            "-f", "lavfi", "-i", $"sine=frequency=880:duration={tone}:sample_rate=8000",
            "-filter_complex", "[0][1][2][3][4]concat=n=5:v=0:a=1", "-ac", "1", "-c:a", "pcm_s16le");

    /// <summary>
    /// A dual-channel recording as Twilio keeps it (8 kHz 16-bit PCM WAV): channel 1 the caller, channel 2 the line,
    /// each a tone (440 Hz and 660 Hz) where that side speaks and digital silence elsewhere. Made sample by sample so
    /// the speech starts and ends exactly where the test says.
    /// </summary>
    public static byte[] TwoChannelWav(double seconds, IReadOnlyList<(double Start, double End)> caller, IReadOnlyList<(double Start, double End)> line)
    {
        const int rate = 8000;
        var frames = (int)Math.Round(seconds * rate);
        var info = WavInfo.Pcm16(rate, 2);
        var wav = new byte[WavInfo.CanonicalHeaderLength + (frames * 4)];
        info.CanonicalHeader(frames * 4).CopyTo(wav, 0);
        for (var i = 0; i < frames; i++)
        {
            var time = i / (double)rate;
            BinaryPrimitives.WriteInt16LittleEndian(wav.AsSpan(WavInfo.CanonicalHeaderLength + (i * 4)), Tone(time, caller, 440));
            BinaryPrimitives.WriteInt16LittleEndian(wav.AsSpan(WavInfo.CanonicalHeaderLength + (i * 4) + 2), Tone(time, line, 660));
        }
        return wav;

        static short Tone(double time, IReadOnlyList<(double Start, double End)> spans, double frequency) =>
            spans.Any(span => time >= span.Start && time < span.End) ? (short)Math.Round(8000 * Math.Sin(2 * Math.PI * frequency * time)) : (short)0;
    }

    public static async Task<string> WriteAsync(byte[] audio, string extension)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var path = Path.Combine(Directory, Guid.NewGuid().ToString("N") + extension);
        await File.WriteAllBytesAsync(path, audio);
        return path;
    }

    private static async Task<byte[]> RunAsync(string extension, params string[] arguments)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var output = Path.Combine(Directory, Guid.NewGuid().ToString("N") + extension);
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "-nostdin", "-hide_banner", "-loglevel", "error", "-y" }.Concat(arguments).Append(output))
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffmpeg failed making a test sample: {await error}");
        }
        var bytes = await File.ReadAllBytesAsync(output);
        File.Delete(output);
        return bytes;
    }
}
