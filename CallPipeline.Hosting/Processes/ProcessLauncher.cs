using System.Collections.Concurrent;
using System.Diagnostics;

namespace CallPipeline.Hosting.Processes;

/// <summary>
/// Starts every child process from one thread that lives as long as the AppHost, wrapped in
/// <c>setpriv --pdeathsig</c> and <c>setsid</c>. The kernel sends the death signal when the thread that forked the
/// child ends, so children never outlive the AppHost, even when it is killed with SIGKILL. Their own session keeps a
/// terminal's Ctrl+C away from them, so the AppHost alone decides the stop order.
/// </summary>
internal static class ProcessLauncher
{
    private static readonly BlockingCollection<(ProcessStartInfo StartInfo, TaskCompletionSource<Process> Started)> Requests = new();

    static ProcessLauncher()
    {
        var thread = new Thread(Run) { IsBackground = true, Name = "CallPipeline process launcher" };
        thread.Start();
    }

    public static Task<Process> StartAsync(ProcessStartInfo startInfo)
    {
        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        Requests.Add((startInfo, started));
        return started.Task;
    }

    /// <summary>Builds the start info of <paramref name="fileName"/> wrapped so that it dies with the AppHost.</summary>
    public static ProcessStartInfo Wrap(string fileName, IEnumerable<string> arguments, string deathSignal, string? runAsUser)
    {
        var startInfo = new ProcessStartInfo("setpriv")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (runAsUser is not null)
        {
            startInfo.ArgumentList.Add($"--reuid={runAsUser}");
            startInfo.ArgumentList.Add($"--regid={runAsUser}");
            startInfo.ArgumentList.Add("--init-groups");
        }
        startInfo.ArgumentList.Add($"--pdeathsig={deathSignal}");
        startInfo.ArgumentList.Add("--");
        startInfo.ArgumentList.Add("setsid");
        startInfo.ArgumentList.Add(fileName);
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        return startInfo;
    }

    private static void Run()
    {
        foreach (var (startInfo, started) in Requests.GetConsumingEnumerable())
        {
            try
            {
                started.SetResult(Process.Start(startInfo) ?? throw new InvalidOperationException($"{startInfo.FileName} did not start."));
            }
            catch (Exception ex)
            {
                started.SetException(ex);
            }
        }
    }
}
