using System.Diagnostics;
using System.Reflection;
using System.Text;
using CallPipeline.Tests.Support;

namespace CallPipeline.Tests.AppHost;

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
        // The built AppHost itself rather than `dotnet run`, whose own process would sit between the test and the AppHost.
        var projectDirectory = Projects.CallPipeline_AppHost.ProjectPath;
        var configuration = typeof(AppHostProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var appHost = Path.Combine(projectDirectory, "bin", configuration, "net10.0", "CallPipeline.AppHost.dll");
        var startInfo = new ProcessStartInfo(DotnetHost(), [appHost, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = projectDirectory,
        };
        // What the http launch profile gives `dotnet run`, on free ports so a developer's running AppHost is no obstacle.
        startInfo.Environment["DOTNET_ENVIRONMENT"] = "Development";
        startInfo.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        startInfo.Environment["ASPNETCORE_URLS"] = $"http://localhost:{FreePort.Next()}";
        startInfo.Environment["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://localhost:{FreePort.Next()}";
        startInfo.Environment["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"] = $"http://localhost:{FreePort.Next()}";
        startInfo.Environment["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true";
        startInfo.Environment["DcpPublisher__RandomizePorts"] = "true";
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

    /// <summary>
    /// Every process the AppHost owns, from /proc: its children, and Aspire's orchestrator, which runs detached and
    /// is tied to the AppHost by <c>--monitor {pid}</c> instead (as are the orchestrator's own controllers), with theirs.
    /// </summary>
    public IReadOnlyList<int> Descendants()
    {
        var owners = new Dictionary<int, List<int>>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }
            foreach (var owner in new[] { TryReadParent(pid), TryReadMonitoredPid(pid) }.OfType<int>())
            {
                owners.TryAdd(pid, []);
                owners[pid].Add(owner);
            }
        }
        var found = new HashSet<int>();
        var frontier = new Queue<int>([_process.Id]);
        while (frontier.TryDequeue(out var current))
        {
            foreach (var owned in owners.Where(o => o.Value.Contains(current)).Select(o => o.Key))
            {
                if (found.Add(owned))
                {
                    frontier.Enqueue(owned);
                }
            }
        }
        return [.. found];
    }

    public static bool IsAlive(int pid)
    {
        // A zombie has exited; only its parent has not reaped it yet.
        var stat = TryReadStat(pid);
        return stat is not null && !stat.Contains(") Z ");
    }

    public void Kill() => _process.Kill();

    public static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
        }
        catch (IOException)
        {
            return $"{pid} (gone)";
        }
    }

    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

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

    private static int? TryReadMonitoredPid(int pid)
    {
        try
        {
            var arguments = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
            var monitor = Array.IndexOf(arguments, "--monitor");
            return monitor >= 0 && monitor + 1 < arguments.Length && int.TryParse(arguments[monitor + 1], out var monitored) ? monitored : null;
        }
        catch (IOException)
        {
            return null;
        }
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

    /// <summary>The dotnet host the test runs under, so a child .NET process runs on the same one.</summary>
    public static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
}
