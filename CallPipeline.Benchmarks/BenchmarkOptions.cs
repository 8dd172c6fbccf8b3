using System.Globalization;

namespace CallPipeline.Benchmarks;

/// <summary>The command line: <c>&lt;mode&gt; [--quick] [--no-baseline] [--output &lt;folder&gt;] [--levels n,n] [--gateway-env K=V]</c>.</summary>
public sealed record BenchmarkOptions(
    string Benchmark,
    bool Quick,
    bool Baseline,
    string? OutputDirectory,
    IReadOnlyList<int>? Levels,
    IReadOnlyDictionary<string, string> GatewayEnvironment,
    IReadOnlyDictionary<string, string> WorkerEnvironment,
    int? Recordings,
    string? LogsDirectory,
    bool SharedCpus)
{
    /// <summary>Every mode, in the order <c>all</c> runs them: the graph's own start first, while nothing else runs.</summary>
    public static readonly string[] Modes = ["hotpath", "graph", "gateway", "latency", "worker"];

    public const string Usage = """
        usage: dotnet run -c Release --project CallPipeline.Benchmarks -- <gateway|hotpath|worker|latency|graph|all> [options]
          --quick               every mode short (mostly the graph's start); docs/ untouched unless --output is given
          --no-baseline         skip the gateway benchmark's baselines (Node.js, ASP.NET Core)
          --output <folder>     where the JSON, the chart and benchmarks.md go (default: the repository's docs/)
          --levels <n,n,...>    concurrent calls the gateway benchmark ramps through (default 100,250,500,1000,1500,2000,3000,4000)
          --gateway-env K=V     an environment variable for the voice gateway (repeatable), e.g. to try a runtime setting
          --worker-env K=V      an environment variable for the worker (repeatable), e.g. Worker__Concurrency=4
          --recordings <n>      recordings the worker benchmark queues (default 50)
          --shared-cpus         the gateway and worker benchmarks leave the server measured on the CPUs the rest uses, instead of one of its own
          --logs <folder>       write every graph resource's output there at the end (<resource>.log)
        """;

    public static BenchmarkOptions? Parse(string[] args)
    {
        if (args.Length == 0 || !(Modes.Contains(args[0]) || args[0] == "all"))
        {
            return null;
        }
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        return new BenchmarkOptions(
            args[0],
            args.Contains("--quick"),
            !args.Contains("--no-baseline"),
            Value("--output") is { } output ? Path.GetFullPath(output) : null,
            Value("--levels")?.Split(',').Select(l => int.Parse(l, CultureInfo.InvariantCulture)).ToList(),
            Settings("--gateway-env"),
            Settings("--worker-env"),
            Value("--recordings") is { } recordings ? int.Parse(recordings, CultureInfo.InvariantCulture) : null,
            Value("--logs") is { } logs ? Path.GetFullPath(logs) : null,
            args.Contains("--shared-cpus"));

        Dictionary<string, string> Settings(string name) =>
            args.Select((a, i) => (a, i)).Where(p => p.a == name && p.i + 1 < args.Length)
                .Select(p => args[p.i + 1].Split('=', 2)).ToDictionary(kv => kv[0], kv => kv.Length > 1 ? kv[1] : "");
    }

    public bool Runs(string mode) => Benchmark == mode || Benchmark == "all";

    /// <summary>Where results go: the given folder; else docs/ of the repository, except for a quick run, which keeps them out of it.</summary>
    public string ResultsDirectory => OutputDirectory
        ?? (Quick ? Path.Combine(Path.GetTempPath(), "callpipeline-benchmarks-quick") : Path.Combine(RepositoryRoot(), "docs"));

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
