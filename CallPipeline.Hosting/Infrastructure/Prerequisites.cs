namespace CallPipeline.Hosting.Infrastructure;

/// <summary>Finds the machine programs the graph runs, and names the package that provides a missing one.</summary>
public static class Prerequisites
{
    public static string FindPostgresBinDirectory()
    {
        var root = "/usr/lib/postgresql";
        var candidates = Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .Select(dir => Path.Combine(dir, "bin"))
                .Where(bin => File.Exists(Path.Combine(bin, "initdb")) && File.Exists(Path.Combine(bin, "postgres")))
                .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var version) ? version : 0)
                .ToList()
            : [];
        return candidates.FirstOrDefault()
            ?? throw new MissingPrerequisiteException("PostgreSQL server binaries not found in /usr/lib/postgresql/*/bin: install them with 'apt-get install -y postgresql'.");
    }

    public static string FindOnPath(string program, string package)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, program);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new MissingPrerequisiteException($"{program} not found on PATH: install it with 'apt-get install -y {package}'.");
    }
}

public sealed class MissingPrerequisiteException(string message) : Exception(message);
