using System.Runtime.InteropServices;
using CallPipeline.DevDoubles.Twilio;
using CallPipeline.Twilio.Audio;
using CliWrap;
using CliWrap.Buffered;
using Microsoft.Extensions.Options;

namespace CallPipeline.DevDoubles.Simulator.CallerSpeech;

/// <summary>
/// Turns the caller's text (or given audio) into what a phone line carries: espeak-ng speaks the text to a WAV file,
/// ffmpeg resamples it to 8 kHz mono 16-bit PCM, and it is mu-law encoded for the Media Stream.
/// </summary>
public sealed partial class CallerSpeechSynthesizer(IOptions<SimulatorOptions> options, DataFolders folders, ILogger<CallerSpeechSynthesizer> logger)
{
    public const string EspeakPackage = "espeak-ng";

    /// <summary>True when the espeak-ng program can be found (a path that exists, or a name on PATH).</summary>
    public bool IsAvailable => ProgramLocator.Find(options.Value.EspeakProgram) is not null;

    public async Task<byte[]> SynthesizeMuLawAsync(string text, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var espeak = ProgramLocator.Find(settings.EspeakProgram)
            ?? throw new SpeechUnavailableException($"{settings.EspeakProgram} was not found; install the {EspeakPackage} package (apt-get install {EspeakPackage}).");
        var wavPath = Path.Combine(folders.Speech, $"{Guid.NewGuid():N}.wav");
        try
        {
            // The text goes in on stdin, never as an argument, so a text starting with '-' cannot be read as an option.
            var spoken = await Cli.Wrap(espeak)
                .WithArguments(["-v", settings.EspeakVoice, "-s", settings.EspeakWordsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture), "-w", wavPath, "--stdin"])
                .WithStandardInputPipe(PipeSource.FromString(text))
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(cancellationToken);
            if (!spoken.IsSuccess)
            {
                throw new SpeechUnavailableException($"espeak-ng exited with {spoken.ExitCode}: {spoken.StandardError.Trim()}");
            }

            var muLaw = await ToPhoneLineAsync(wavPath, cancellationToken);
            LogSynthesized(logger, text.Length, muLaw.Length / 8000.0);
            return muLaw;
        }
        finally
        {
            File.Delete(wavPath);
        }
    }

    /// <summary>Given audio (any format ffmpeg reads) as the phone line carries it: 8 kHz mono mu-law.</summary>
    public async Task<byte[]> ConvertMuLawAsync(byte[] audio, CancellationToken cancellationToken)
    {
        var path = Path.Combine(folders.Speech, $"{Guid.NewGuid():N}.input");
        await File.WriteAllBytesAsync(path, audio, cancellationToken);
        try
        {
            return await ToPhoneLineAsync(path, cancellationToken);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private async Task<byte[]> ToPhoneLineAsync(string inputPath, CancellationToken cancellationToken)
    {
        using var pcm = new MemoryStream();
        var converted = await Cli.Wrap(options.Value.FfmpegProgram)
            .WithArguments(["-hide_banner", "-loglevel", "error", "-i", inputPath, "-ac", "1", "-ar", "8000", "-f", "s16le", "-acodec", "pcm_s16le", "pipe:1"])
            .WithStandardOutputPipe(PipeTarget.ToStream(pcm))
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(cancellationToken);
        if (!converted.IsSuccess)
        {
            throw new SpeechUnavailableException($"ffmpeg exited with {converted.ExitCode} while converting the caller's audio to 8 kHz.");
        }

        // ffmpeg wrote s16le, which is the machine's own order here (Linux x64/arm64 are little-endian).
        var samples = MemoryMarshal.Cast<byte, short>(pcm.GetBuffer().AsSpan(0, (int)pcm.Length & ~1));
        var muLaw = new byte[samples.Length];
        MuLaw.Encode(samples, muLaw);
        return muLaw;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Twilio double: synthesised {Length} chars of caller speech, {Seconds:0.00} s")]
    private static partial void LogSynthesized(ILogger logger, int length, double seconds);
}
