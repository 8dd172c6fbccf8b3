using System.Reflection;

namespace CallPipeline.Benchmarks;

/// <summary>The command line: <c>&lt;gateway|hotpath|all&gt; [--quick] [--before &lt;voice build folder&gt;] [--before-name &lt;name&gt;] [--no-baseline] [--output &lt;folder&gt;]</c>.</summary>
public sealed record BenchmarkOptions(
    string Benchmark,
    bool Quick,
    string GatewayBuild,
    string? BeforeBuild,
    string BeforeName,
    bool Baseline,
    string? OutputDirectory,
    IReadOnlyList<int>? Levels,
    IReadOnlyDictionary<string, string> GatewayEnvironment)
{
    public const string Usage = """
        usage: dotnet run -c Release --project CallPipeline.Benchmarks -- <gateway|hotpath|all> [options]
          --quick               small levels, about a minute; numbers only, docs/ untouched unless --output is given
          --before <folder>     also measure another build of CallPipeline.Voice (a folder with CallPipeline.Voice.dll)
          --before-name <name>  its name in the tables (default: before)
          --no-baseline         skip the Node.js baseline
          --output <folder>     where the JSON, the chart and benchmarks.md go (default: the repository's docs/)
          --levels <n,n,...>    concurrent calls to ramp through (default 100,250,500,1000,1500,2000,3000,4000)
          --gateway-env K=V     an environment variable for the gateway process (repeatable), e.g. to try a runtime setting
        """;

    public static BenchmarkOptions? Parse(string[] args)
    {
        if (args.Length == 0 || args[0] is not ("gateway" or "hotpath" or "all"))
        {
            return null;
        }
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        return new BenchmarkOptions(
            args[0],
            args.Contains("--quick"),
            ThisGatewayBuild(),
            Value("--before") is { } before ? Path.GetFullPath(before) : null,
            Value("--before-name") ?? "before",
            !args.Contains("--no-baseline"),
            Value("--output") is { } output ? Path.GetFullPath(output) : null,
            Value("--levels")?.Split(',').Select(l => int.Parse(l, System.Globalization.CultureInfo.InvariantCulture)).ToList(),
            args.Select((a, i) => (a, i)).Where(p => p.a == "--gateway-env" && p.i + 1 < args.Length)
                .Select(p => args[p.i + 1].Split('=', 2)).ToDictionary(kv => kv[0], kv => kv.Length > 1 ? kv[1] : ""));
    }

    /// <summary>Where results go: the given folder; else docs/ of the repository, except for a quick run, which keeps them out of it.</summary>
    public string ResultsDirectory => OutputDirectory
        ?? (Quick ? Path.Combine(Path.GetTempPath(), "callpipeline-benchmarks-quick") : Path.Combine(RepositoryRoot(), "docs"));

    /// <summary>The voice gateway built with this program, in the same configuration.</summary>
    private static string ThisGatewayBuild()
    {
        var configuration = typeof(BenchmarkOptions).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        return Path.Combine(RepositoryRoot(), "CallPipeline.Voice", "bin", configuration, "net10.0");
    }

    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CallPipeline.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("CallPipeline.sln not found above " + AppContext.BaseDirectory);
    }
}
