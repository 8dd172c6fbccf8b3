using CallPipeline.Tests.Graph;

namespace CallPipeline.Tests.AppHost;

/// <summary>The AppHost as an operator runs it: a process that owns every child, stops them all, and says what failed.</summary>
[Collection(OwnGraphCollection.Name)]
[Trait("Category", "Graph")]
public sealed class AppHostProcessTests
{
    [Fact]
    public async Task Killing_the_AppHost_leaves_no_process_behind_the_orchestrators_included()
    {
        using var turn = await GraphStartTurn.TakeAsync();
        await using var appHost = AppHostProcess.Start([]);
        // Killed once every kind of child runs (the orchestrators, the servers, the services), without waiting for the
        // services to be healthy: what is left behind depends on what was started, not on how far it got.
        string[] children = ["dcp", "redis-server", "postgres", "CallPipeline.Voice", "CallPipeline.Worker"];
        IReadOnlyList<int> owned = [];
        await WaitUntilAsync(
            () => children.All(child => (owned = appHost.Descendants()).Any(pid => AppHostProcess.CommandLine(pid).Contains(child, StringComparison.Ordinal))),
            GraphStartTurn.StartTimeout,
            () => $"not all started: {string.Join(", ", owned.Select(AppHostProcess.CommandLine))}\n{appHost.Output}");
        owned = appHost.Descendants();

        appHost.Kill();

        await WaitUntilAsync(() => owned.All(pid => !AppHostProcess.IsAlive(pid)), TimeSpan.FromMinutes(1),
            () => $"still alive: {string.Join(", ", owned.Where(AppHostProcess.IsAlive).Select(AppHostProcess.CommandLine))}");
    }

    [Fact]
    public async Task SIGTERM_stops_every_resource_and_exits_zero_after_writing_an_owner_only_state_file()
    {
        var stateFile = Path.Combine(Path.GetTempPath(), $"callpipeline-state-{Guid.NewGuid():N}.json");
        using var turn = await GraphStartTurn.TakeAsync();
        await using var appHost = AppHostProcess.Start(["--state-file", stateFile]);
        await appHost.WaitForOutputAsync("All resources are up", GraphStartTurn.StartTimeout);
        var owned = appHost.Descendants();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(stateFile));
        Assert.Contains("\"dashboardLoginUrl\": \"http://localhost:", File.ReadAllText(stateFile));
        appHost.Terminate();

        Assert.Equal(0, await appHost.WaitForExitAsync(TimeSpan.FromMinutes(1)));
        await WaitUntilAsync(() => owned.All(pid => !AppHostProcess.IsAlive(pid)), TimeSpan.FromSeconds(30),
            () => $"outlived the AppHost: {string.Join(", ", owned.Where(AppHostProcess.IsAlive).Select(AppHostProcess.CommandLine))}");
        File.Delete(stateFile);
    }

    [Fact]
    public async Task An_unusable_data_directory_is_named_in_one_line_and_nothing_starts()
    {
        await using var appHost = AppHostProcess.Start(["--data-dir", "/proc/callpipeline-cannot-exist"]);

        var exitCode = await appHost.WaitForExitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(1, exitCode);
        Assert.Contains("The data directory /proc/callpipeline-cannot-exist cannot be used", appHost.Output);
        Assert.Empty(appHost.Descendants());
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> describe)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (!condition())
        {
            try
            {
                await Task.Delay(200, cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException(describe());
            }
        }
    }
}
