using System.ComponentModel;
using System.Text;
using CliWrap;

namespace CallPipeline.Worker.Audio;

/// <summary>
/// One run of <see cref="FfmpegRunner.StereoSplitArguments"/> started before a recording needs it: ffmpeg waits on its
/// stdin, writing to channel files of its own, until <see cref="RunAsync"/> feeds it the recording. Loading ffmpeg (its
/// ~200 shared libraries) takes about 0.1 s, more than converting a short call, so the worker keeps that out of a job.
/// </summary>
/// <remarks>
/// CliWrap has no notion of a process waiting for input that is chosen later, hence this small wrapper: the stdin pipe
/// source awaits the recording's path. A worker killed while ffmpeg waits closes the pipe, and ffmpeg exits on the
/// empty input before it opens its outputs.
/// </remarks>
internal sealed class PrestartedSplit : IDisposable
{
    private readonly TaskCompletionSource<string> _input = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _kill = new();
    private readonly StringBuilder _standardError = new();
    private readonly Task<CommandResult> _process;

    private PrestartedSplit(string ffmpegPath, string directory, AudioOptions options)
    {
        var name = $"ffmpeg-{Guid.NewGuid():N}";
        FirstPath = Path.Combine(directory, $"{name}-1.wav");
        SecondPath = Path.Combine(directory, $"{name}-2.wav");
        _process = Cli.Wrap(ffmpegPath)
            .WithArguments(FfmpegRunner.StereoSplitArguments(FfmpegRunner.StandardInput, FirstPath, SecondPath, options))
            .WithStandardInputPipe(PipeSource.Create(async (stdin, cancellationToken) =>
            {
                var path = await _input.Task.WaitAsync(cancellationToken);
                await using var recording = File.OpenRead(path);
                await recording.CopyToAsync(stdin, cancellationToken);
            }))
            .WithStandardErrorPipe(PipeTarget.ToStringBuilder(_standardError, Encoding.UTF8))
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(_kill.Token)
            .Task;
    }

    public string FirstPath { get; }

    public string SecondPath { get; }

    /// <summary>False once ffmpeg has exited without being fed (killed, or it could not read its stdin).</summary>
    public bool IsWaiting => !_process.IsCompleted && !_input.Task.IsCompleted;

    /// <exception cref="Win32Exception">ffmpeg could not be started.</exception>
    public static PrestartedSplit Start(string ffmpegPath, string directory, AudioOptions options)
    {
        Directory.CreateDirectory(directory);
        return new PrestartedSplit(ffmpegPath, directory, options);
    }

    /// <summary>Feeds the recording and waits for ffmpeg; returns its exit code and what it wrote to stderr.</summary>
    public async Task<(int ExitCode, string StandardError)> RunAsync(string inputPath, TimeSpan timeout, CancellationToken cancellationToken)
    {
        _kill.CancelAfter(timeout);
        await using var cancelled = cancellationToken.Register(_kill.Cancel);
        _input.TrySetResult(inputPath);
        var result = await _process;
        return (result.ExitCode, _standardError.ToString());
    }

    /// <summary>Kills ffmpeg if it still runs and deletes whatever it wrote that was not moved away.</summary>
    public void Dispose()
    {
        _input.TrySetCanceled();
        _kill.Cancel();
        try
        {
            _process.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // Killed on purpose: the cancellation is the expected end.
        }
        _kill.Dispose();
        File.Delete(FirstPath);
        File.Delete(SecondPath);
    }
}
