using Aspire.Hosting.ApplicationModel;
using System.Diagnostics;

namespace CallPipeline.Hosting.LocalServers;

/// <summary>
/// A PostgreSQL data directory made by the machine's initdb: the postgres superuser with scram-sha-256 password
/// authentication, UTF-8, owned by the postgres user when the AppHost runs as root.
/// </summary>
public static class PostgresDataDirectory
{
    public static string DataPath(string root) => Path.Combine(root, "data");

    public static string SocketPath(string root) => Path.Combine(root, "sockets");

    /// <summary>Creates the cluster unless <paramref name="root"/> already holds one (a kept data directory).</summary>
    public static async Task EnsureInitializedAsync(string binDirectory, string root, string password, bool durable, Action<string> log, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(root);
        Directory.CreateDirectory(SocketPath(root));
        if (File.Exists(Path.Combine(DataPath(root), "PG_VERSION")))
        {
            await GiveToPostgresUserAsync(root, cancellationToken);
            return;
        }

        var passwordFile = Path.Combine(root, "pwfile");
        await File.WriteAllTextAsync(passwordFile, password, cancellationToken);
        File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await GiveToPostgresUserAsync(root, cancellationToken);
        try
        {
            List<string> arguments =
            [
                "-D", DataPath(root), "-U", LocalPostgresServerResource.UserName, $"--pwfile={passwordFile}",
                "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C.UTF-8", "--no-instructions",
            ];
            if (!durable)
            {
                arguments.Add("--no-sync");
            }
            var (command, prefix) = MachinePrograms.AsPostgresUser(Path.Combine(binDirectory, "initdb"));
            var (exitCode, output) = await RunAsync(command, [.. prefix, .. arguments], cancellationToken);
            if (exitCode != 0)
            {
                output.ForEach(log);
                throw new InvalidOperationException($"initdb exited with code {exitCode}.");
            }
            log($"initdb created a cluster in {DataPath(root)}");
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    /// <summary>The server's command-line settings; a throwaway cluster skips durability, which only costs time.</summary>
    public static IReadOnlyList<string> ServerArguments(string root, bool durable) =>
    [
        "-D", DataPath(root),
        "-c", "listen_addresses=127.0.0.1",
        "-c", $"unix_socket_directories={SocketPath(root)}",
        "-c", "max_connections=200",
        // A throwaway server also keeps little WAL: at the default 1 GB ceiling every test run and benchmark left about
        // a gigabyte of it on the disk.
        .. durable
            ? Array.Empty<string>()
            : ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_wal_size=128MB", "-c", "min_wal_size=32MB"],
    ];

    private static async Task GiveToPostgresUserAsync(string root, CancellationToken cancellationToken)
    {
        if (!Environment.IsPrivilegedProcess)
        {
            return;
        }
        var (exitCode, output) = await RunAsync("chown", ["-R", "postgres:postgres", root], cancellationToken);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"chown postgres {root} failed: {string.Join(' ', output)}");
        }
    }

    private static async Task<(int ExitCode, List<string> Output)> RunAsync(string command, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"{command} did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var output = (await stdout + await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        return (process.ExitCode, output);
    }
}
