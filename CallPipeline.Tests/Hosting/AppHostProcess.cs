using System.Diagnostics;
using System.Text;
using CallPipeline.Hosting.Processes;

namespace CallPipeline.Tests.Hosting;

/// <summary>The AppHost run as its own process, as `dotnet run` runs it, for tests of process lifetime and exit codes.</summary>
internal sealed class AppHostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private AppHostProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static AppHostProcess Start(IEnumerable<string> arguments, Action<IDictionary<string, string?>>? environment = null)
    {
        var startInfo = new ProcessStartInfo(DotnetHost(), [new Projects.CallPipeline_AppHost().TargetPath, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(new Projects.CallPipeline_AppHost().ProjectPath),
        };
        startInfo.Environment["DOTNET_ENVIRONMENT"] = "Development";
        environment?.Invoke(startInfo.Environment);
        return new AppHostProcess(Process.Start(startInfo)!);
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        await _process.WaitForExitAsync().WaitAsync(timeout);
        return _process.ExitCode;
    }

    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (!Output.Contains(text))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The AppHost exited ({_process.ExitCode}) before writing '{text}':\n{Output}");
            }
            try
            {
                await Task.Delay(200, cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"The AppHost did not write '{text}' within {timeout}:\n{Output}");
            }
        }
    }

    /// <summary>Every process below the AppHost, from /proc.</summary>
    public IReadOnlyList<int> Descendants()
    {
        var parents = new Dictionary<int, int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out var pid) && TryReadParent(pid) is { } parent)
            {
                parents[pid] = parent;
            }
        }
        var found = new List<int>();
        var frontier = new Queue<int>([_process.Id]);
        while (frontier.TryDequeue(out var current))
        {
            foreach (var child in parents.Where(p => p.Value == current).Select(p => p.Key))
            {
                found.Add(child);
                frontier.Enqueue(child);
            }
        }
        return found;
    }

    public static bool IsAlive(int pid)
    {
        // A zombie has exited; only its parent has not reaped it yet.
        var stat = TryReadStat(pid);
        return stat is not null && !stat.Contains(") Z ");
    }

    public void Kill() => _process.Kill();

    public void Signal(int signal) => Posix.Kill(_process.Id, signal);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static int? TryReadParent(int pid)
    {
        var stat = TryReadStat(pid);
        if (stat is null)
        {
            return null;
        }
        // Fields after the parenthesised command: state, ppid, ...
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.TryParse(fields[1], out var parent) ? parent : null;
    }

    private static string? TryReadStat(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
}
