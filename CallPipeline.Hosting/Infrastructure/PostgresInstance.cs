using CallPipeline.Hosting.Processes;
using Npgsql;

namespace CallPipeline.Hosting.Infrastructure;

/// <summary>
/// A private PostgreSQL server from the machine's binaries: initdb into a data directory with scram-sha-256 password
/// authentication, listening on one loopback port. Runs as the postgres user when the AppHost runs as root,
/// because PostgreSQL refuses to run as root.
/// </summary>
internal sealed class PostgresInstance(string dataRoot, int port, string password, bool ephemeral, Action<string, bool> onLine) : IAsyncDisposable
{
    public const string UserName = "postgres";
    private ManagedProcess? _process;

    public int Port => port;

    public string ConnectionString => $"Host=localhost;Port={port};Username={UserName};Password={password}";

    public Task<int>? Exited => _process?.Exited;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var bin = Prerequisites.FindPostgresBinDirectory();
        var runAs = Posix.IsRoot ? "postgres" : null;
        var dataDirectory = Path.Combine(dataRoot, "data");
        var socketDirectory = Path.Combine(dataRoot, "sockets");
        Directory.CreateDirectory(dataRoot);
        Directory.CreateDirectory(socketDirectory);
        if (runAs is not null)
        {
            await ChownAsync(dataRoot, runAs, cancellationToken);
        }

        if (!File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
        {
            await InitDbAsync(bin, dataDirectory, runAs, cancellationToken);
        }

        List<string> arguments =
        [
            "-D", dataDirectory,
            "-p", port.ToString(),
            "-c", "listen_addresses=127.0.0.1",
            "-c", $"unix_socket_directories={socketDirectory}",
            "-c", "max_connections=200",
        ];
        if (ephemeral)
        {
            // Throwaway data: durability settings only cost time.
            arguments.AddRange(["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]);
        }
        _process = await ManagedProcess.StartAsync(Path.Combine(bin, "postgres"), arguments, dataRoot, new Dictionary<string, string?>(), onLine, Posix.SIGINT, runAs);
    }

    public async Task<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(ConnectionString + ";Timeout=3;Pooling=false");
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Creates <paramref name="databaseName"/> unless it exists, as Aspire 9 does for AddDatabase.</summary>
    public async Task EnsureDatabaseAsync(string databaseName, CancellationToken cancellationToken, string? template = null)
    {
        await using var connection = new NpgsqlConnection(ConnectionString + ";Pooling=false");
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", databaseName);
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            var quoted = new NpgsqlCommandBuilder().QuoteIdentifier(databaseName);
            var templateClause = template is null ? "" : $" TEMPLATE {new NpgsqlCommandBuilder().QuoteIdentifier(template)}";
            await using var create = new NpgsqlCommand($"CREATE DATABASE {quoted}{templateClause}", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
        if (ephemeral)
        {
            TryDeleteDirectory(dataRoot);
        }
    }

    private async Task InitDbAsync(string bin, string dataDirectory, string? runAs, CancellationToken cancellationToken)
    {
        var passwordFile = Path.Combine(dataRoot, "pwfile");
        await File.WriteAllTextAsync(passwordFile, password, cancellationToken);
        File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        if (runAs is not null)
        {
            await ChownAsync(passwordFile, runAs, cancellationToken);
        }
        try
        {
            List<string> arguments =
            [
                "-D", dataDirectory, "-U", UserName, $"--pwfile={passwordFile}",
                "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C.UTF-8", "--no-instructions",
            ];
            if (ephemeral)
            {
                arguments.Add("--no-sync");
            }
            var output = new List<string>();
            await using var initdb = await ManagedProcess.StartAsync(Path.Combine(bin, "initdb"), arguments, dataRoot, new Dictionary<string, string?>(), (line, _) => output.Add(line), Posix.SIGTERM, runAs);
            var exitCode = await initdb.Exited.WaitAsync(TimeSpan.FromMinutes(2), cancellationToken);
            if (exitCode != 0)
            {
                foreach (var line in output)
                {
                    onLine(line, true);
                }
                throw new InvalidOperationException($"initdb exited with code {exitCode}.");
            }
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    private static async Task ChownAsync(string path, string user, CancellationToken cancellationToken)
    {
        using var chown = System.Diagnostics.Process.Start("chown", ["-R", $"{user}:{user}", path]);
        await chown.WaitForExitAsync(cancellationToken);
        if (chown.ExitCode != 0)
        {
            throw new InvalidOperationException($"chown {user} {path} failed with exit code {chown.ExitCode}.");
        }
    }

    private static void TryDeleteDirectory(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
