using System.Diagnostics;

namespace CallPipeline.Hosting.Processes;

/// <summary>A child process whose output lines go to a callback and which stops with a chosen signal, then SIGKILL.</summary>
internal sealed class ManagedProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly int _stopSignal;
    private readonly Task _outputDrained;

    private ManagedProcess(Process process, int stopSignal, Action<string, bool> onLine)
    {
        _process = process;
        _stopSignal = stopSignal;
        _outputDrained = Task.WhenAll(
            PumpAsync(process.StandardOutput, line => onLine(line, false)),
            PumpAsync(process.StandardError, line => onLine(line, true)));
        Exited = WaitForExitCoreAsync();
    }

    public int Id => _process.Id;

    /// <summary>Completes with the exit code once the process has exited and its output is drained.</summary>
    public Task<int> Exited { get; }

    public bool HasExited => Exited.IsCompleted;

    public static async Task<ManagedProcess> StartAsync(
        string fileName,
        IEnumerable<string> arguments,
        string? workingDirectory,
        IReadOnlyDictionary<string, string?> environment,
        Action<string, bool> onLine,
        int stopSignal = Posix.SIGTERM,
        string? runAsUser = null)
    {
        var deathSignal = stopSignal == Posix.SIGINT ? "INT" : "TERM";
        var startInfo = ProcessLauncher.Wrap(fileName, arguments, deathSignal, runAsUser);
        if (workingDirectory is not null)
        {
            startInfo.WorkingDirectory = workingDirectory;
        }
        foreach (var (name, value) in environment)
        {
            startInfo.Environment[name] = value;
        }
        var process = await ProcessLauncher.StartAsync(startInfo);
        process.StandardInput.Close();
        return new ManagedProcess(process, stopSignal, onLine);
    }

    /// <summary>Asks the process to stop; kills it when it has not exited within <paramref name="gracePeriod"/>.</summary>
    public async Task StopAsync(TimeSpan gracePeriod)
    {
        if (HasExited)
        {
            return;
        }
        Posix.Kill(_process.Id, _stopSignal);
        if (await Task.WhenAny(Exited, Task.Delay(gracePeriod)) != Exited)
        {
            Posix.Kill(_process.Id, Posix.SIGKILL);
            await Exited.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(10));
        _process.Dispose();
    }

    private async Task<int> WaitForExitCoreAsync()
    {
        await _process.WaitForExitAsync();
        await _outputDrained.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return _process.ExitCode;
    }

    private static async Task PumpAsync(StreamReader reader, Action<string> onLine)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            onLine(line);
        }
    }
}
