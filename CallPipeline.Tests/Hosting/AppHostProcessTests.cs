using CallPipeline.Hosting.Processes;

namespace CallPipeline.Tests.Hosting;

/// <summary>The AppHost as an operator runs it: a process that owns every child, stops them, and says what failed.</summary>
[Trait("Category", "Graph")]
public sealed class AppHostProcessTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task Killing_the_AppHost_leaves_no_child_process_behind()
    {
        await using var appHost = AppHostProcess.Start([]);
        await appHost.WaitForOutputAsync("All resources are up", StartTimeout);
        var children = appHost.Descendants();
        Assert.NotEmpty(children);

        appHost.Kill();

        await WaitUntilAsync(() => children.All(pid => !AppHostProcess.IsAlive(pid)), TimeSpan.FromSeconds(30),
            () => $"still alive: {string.Join(", ", children.Where(AppHostProcess.IsAlive))}");
    }

    [Fact]
    public async Task SIGTERM_stops_every_resource_in_reverse_order_and_exits_zero()
    {
        var stateFile = Path.Combine(Path.GetTempPath(), $"callpipeline-state-{Guid.NewGuid():N}.json");
        await using var appHost = AppHostProcess.Start(["--state-file", stateFile]);
        await appHost.WaitForOutputAsync("All resources are up", StartTimeout);
        var children = appHost.Descendants();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(stateFile));
        appHost.Signal(Posix.SIGTERM);

        Assert.Equal(0, await appHost.WaitForExitAsync(TimeSpan.FromMinutes(1)));
        Assert.All(children, pid => Assert.False(AppHostProcess.IsAlive(pid), $"process {pid} outlived the AppHost"));
        var output = appHost.Output;
        var voiceStopped = output.IndexOf("voice            | info: Microsoft.Hosting.Lifetime[0] Application is shutting down", StringComparison.Ordinal);
        var postgresStopped = output.IndexOf("received fast shutdown request", StringComparison.Ordinal);
        Assert.True(voiceStopped > 0 && postgresStopped > voiceStopped, "the voice gateway did not stop before Postgres");
        File.Delete(stateFile);
    }

    [Fact]
    public async Task A_missing_prerequisite_is_one_line_naming_the_package_to_install()
    {
        await using var appHost = AppHostProcess.Start([], environment => environment["PATH"] = "/nonexistent");

        var exitCode = await appHost.WaitForExitAsync(TimeSpan.FromMinutes(1));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("redis-server not found on PATH: install it with 'apt-get install -y redis-server'.", appHost.Output);
    }

    [Fact]
    public async Task A_resource_that_cannot_start_makes_the_AppHost_exit_non_zero_with_its_last_lines()
    {
        // A data directory written by a PostgreSQL version that does not exist: the server refuses to start.
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"callpipeline-incompatible-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(dataDirectory, "postgres", "data"));
        File.WriteAllText(Path.Combine(dataDirectory, "postgres", "data", "PG_VERSION"), "99\n");
        try
        {
            await using var appHost = AppHostProcess.Start(["--data-dir", dataDirectory]);

            var exitCode = await appHost.WaitForExitAsync(StartTimeout);

            Assert.NotEqual(0, exitCode);
            Assert.Contains("Resource 'postgres' failed to start", appHost.Output);
            Assert.Contains("Last output of postgres:", appHost.Output);
            Assert.Empty(appHost.Descendants());
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task An_unusable_data_directory_is_named_in_one_line()
    {
        await using var appHost = AppHostProcess.Start(["--data-dir", "/proc/callpipeline-cannot-exist"]);

        var exitCode = await appHost.WaitForExitAsync(TimeSpan.FromMinutes(1));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("The data directory /proc/callpipeline-cannot-exist cannot be used", appHost.Output);
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
