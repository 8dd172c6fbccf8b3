using System.Diagnostics;

namespace CallPipeline.Benchmarks.Measurement;

/// <summary>
/// A server started for the benchmark with its output in a file (read afterwards, never on the hot path), stopped with
/// SIGTERM and then killed if it lingers.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, string outputFile)
    {
        _process = process;
        OutputFile = outputFile;
    }

    public int Id => _process.Id;

    public string OutputFile { get; }

    public static ServerProcess Start(string fileName, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string> environment, string outputFile)
    {
        // The shell redirects and then execs, so the process measured is the server itself, writing straight to the file.
        var command = string.Join(' ', new[] { fileName }.Concat(arguments).Select(Quote));
        var start = new ProcessStartInfo("/bin/sh", ["-c", $"exec {command} > {Quote(outputFile)} 2>&1"]) { WorkingDirectory = workingDirectory, UseShellExecute = false };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        return new ServerProcess(Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start."), outputFile);
    }

    /// <summary>Waits until the server answers the probe with a success status.</summary>
    public Task WaitUntilReadyAsync(Uri probe, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        return WaitUntilAsync($"{probe} did not answer", timeout, async () =>
        {
            try
            {
                using var response = await http.GetAsync(probe, cancellationToken);
                return response.IsSuccessStatusCode;
            }
            catch (Exception exception) when (exception is HttpRequestException || (exception is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                return false;
            }
        }, http.Dispose, cancellationToken);
    }

    /// <summary>Waits until the file exists (e.g. a state file the program writes once it is up).</summary>
    public Task WaitForFileAsync(string path, TimeSpan timeout, CancellationToken cancellationToken) =>
        WaitUntilAsync($"{path} was not written", timeout, () => Task.FromResult(File.Exists(path)), () => { }, cancellationToken);

    /// <summary>Sends SIGTERM to the process and waits for it to exit, then kills its tree if it lingers.</summary>
    public static async Task TerminateAsync(int pid, TimeSpan grace)
    {
        Process process;
        try
        {
            process = Process.GetProcessById(pid);
        }
        catch (ArgumentException)
        {
            return;
        }
        using var owned = process;
        Process.Start("kill", ["-TERM", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])?.WaitForExit();
        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
        }
    }

    private async Task WaitUntilAsync(string failure, TimeSpan timeout, Func<Task<bool>> ready, Action cleanUp, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        try
        {
            while (!await ready())
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"The server exited with {_process.ExitCode}:\n{Tail()}");
                }
                if (Stopwatch.GetTimestamp() > deadline)
                {
                    throw new TimeoutException($"{failure} within {timeout}:\n{Tail()}");
                }
                await Task.Delay(100, cancellationToken);
            }
        }
        finally
        {
            cleanUp();
        }
    }

    public string Tail(int lines = 30) => File.Exists(OutputFile) ? string.Join('\n', File.ReadLines(OutputFile).TakeLast(lines)) : "";

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await TerminateAsync(_process.Id, TimeSpan.FromSeconds(15));
        }
        _process.Dispose();
    }

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
