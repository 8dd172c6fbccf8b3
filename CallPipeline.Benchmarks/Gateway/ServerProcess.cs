using System.Diagnostics;

namespace CallPipeline.Benchmarks.Gateway;

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

    public async Task WaitUntilReadyAsync(Uri probe, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with {_process.ExitCode}:\n{Tail()}");
            }
            try
            {
                using var response = await http.GetAsync(probe, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"{probe} did not answer within {timeout}:\n{Tail()}");
            }
            await Task.Delay(250, cancellationToken);
        }
    }

    public string Tail(int lines = 30) => File.Exists(OutputFile) ? string.Join('\n', File.ReadLines(OutputFile).TakeLast(lines)) : "";

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])?.WaitForExit();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        _process.Dispose();
    }

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
