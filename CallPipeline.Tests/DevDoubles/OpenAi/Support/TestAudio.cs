using System.Diagnostics;

namespace CallPipeline.Tests.DevDoubles.OpenAi.Support;

/// <summary>Real audio files made with espeak-ng and ffmpeg, once per test class, removed afterwards.</summary>
public sealed class TestAudio : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("openai-double-audio-").FullName;

    /// <summary>Hebrew speech from espeak-ng converted to WAV 16 kHz mono PCM s16le, as the worker uploads it.</summary>
    public byte[] Wav16kMono { get; private set; } = [];

    /// <summary>The same speech as MP3.</summary>
    public byte[] Mp3 { get; private set; } = [];

    public async Task InitializeAsync()
    {
        var spoken = Path.Combine(_folder, "spoken.wav");
        var wav = Path.Combine(_folder, "speech-16k.wav");
        var mp3 = Path.Combine(_folder, "speech.mp3");
        await RunAsync("espeak-ng", "-v", "he", "-w", spoken, "שלום, אני צריך אינסטלטור בתל אביב");
        await RunAsync("ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-i", spoken, "-ar", "16000", "-ac", "1", "-c:a", "pcm_s16le", wav);
        await RunAsync("ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-i", spoken, "-c:a", "libmp3lame", "-b:a", "32k", mp3);
        Wav16kMono = await File.ReadAllBytesAsync(wav);
        Mp3 = await File.ReadAllBytesAsync(mp3);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    private static async Task RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.StandardOutput.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} exited with {process.ExitCode}: {await stderr}");
        }
    }
}
