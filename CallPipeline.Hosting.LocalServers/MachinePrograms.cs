namespace CallPipeline.Hosting.LocalServers;

/// <summary>Where the machine's PostgreSQL and Redis programs are, and how to name the package of a missing one.</summary>
public static class MachinePrograms
{
    private const string PostgresRoot = "/usr/lib/postgresql";

    /// <summary>The newest <c>/usr/lib/postgresql/*/bin</c> holding initdb and postgres (Debian's layout), if any.</summary>
    public static string? FindPostgresBinDirectory() =>
        Directory.Exists(PostgresRoot)
            ? Directory.GetDirectories(PostgresRoot)
                .Select(dir => Path.Combine(dir, "bin"))
                .Where(bin => File.Exists(Path.Combine(bin, "initdb")) && File.Exists(Path.Combine(bin, "postgres")))
                .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var version) ? version : 0)
                .FirstOrDefault()
            : null;

    public static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);

    /// <summary>The one-line answer an operator needs when a program is missing.</summary>
    public static string Missing(string program, string package) => $"{program} not found: install it with 'apt-get install -y {package}'.";

    /// <summary>
    /// PostgreSQL refuses to run as root, so a root AppHost (CI, containers) runs it as the postgres user that
    /// Debian's package creates. setpriv execs the server in place, so the orchestrator watches and stops the server itself.
    /// </summary>
    internal static (string Command, IReadOnlyList<string> Prefix) AsPostgresUser(string program) =>
        Environment.IsPrivilegedProcess
            ? ("setpriv", ["--reuid=postgres", "--regid=postgres", "--init-groups", "--", program])
            : (program, []);
}
