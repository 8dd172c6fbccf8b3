using System.Globalization;

namespace CallPipeline.Chaos;

/// <summary>
/// The command line: <c>[--calls N] [--rate calls/s] [--first-fault s] [--fault-every s] [--freeze s]
/// [--receiver-window s] [--settle s] [--output folder] [--log file]</c>.
/// </summary>
public sealed record ChaosOptions(
    int Calls,
    double CallsPerSecond,
    TimeSpan FirstFault,
    TimeSpan FaultEvery,
    TimeSpan PostgresFreeze,
    TimeSpan ReceiverWindow,
    TimeSpan Settle,
    string? OutputDirectory,
    string? LogFile)
{
    public const string Usage = """
        usage: dotnet run -c Release --project CallPipeline.Chaos -- [options]
          --calls <n>              simulated calls to place (default 1000)
          --rate <calls/s>         how fast they are placed (default 1)
          --first-fault <s>        seconds from the first call to the first fault, once jobs are running (default 30)
          --fault-every <s>        seconds between faults; they cycle worker kill, failing receiver, Redis restart,
                                   Postgres freeze, and each kind comes at least once (default 45)
          --freeze <s>             how long Postgres stays frozen (default 10)
          --receiver-window <s>    how long the receiver fails a share of deliveries (default 20)
          --settle <s>             how long to wait after the last call and fault for everything to finish (default 600)
          --output <folder>        where reliability.md goes (default: the repository's docs/)
          --log <file>             where the graph's own output goes (default: a file in the temp folder)
        """;

    /// <summary>
    /// The short run of the test suite: 30 calls in 15 s and one fault of each kind, the first once the first calls'
    /// jobs run (a call lasts about 10 s).
    /// </summary>
    public static ChaosOptions Short { get; } = new(
        30, 2, TimeSpan.FromSeconds(12), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(2), null, null);

    /// <summary>Null when the command line is not understood.</summary>
    public static ChaosOptions? Parse(string[] args)
    {
        var known = new HashSet<string>(StringComparer.Ordinal) { "--calls", "--rate", "--first-fault", "--fault-every", "--freeze", "--receiver-window", "--settle", "--output", "--log" };
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!known.Contains(args[i]) || i + 1 >= args.Length)
            {
                return null;
            }
            values[args[i]] = args[i + 1];
        }
        try
        {
            var options = new ChaosOptions(
                values.TryGetValue("--calls", out var calls) ? int.Parse(calls, CultureInfo.InvariantCulture) : 1000,
                values.TryGetValue("--rate", out var rate) ? double.Parse(rate, CultureInfo.InvariantCulture) : 1,
                Seconds(values, "--first-fault", 30),
                Seconds(values, "--fault-every", 45),
                Seconds(values, "--freeze", 10),
                Seconds(values, "--receiver-window", 20),
                Seconds(values, "--settle", 600),
                values.TryGetValue("--output", out var output) ? Path.GetFullPath(output) : null,
                values.TryGetValue("--log", out var log) ? Path.GetFullPath(log) : null);
            return options.Calls > 0 && options.CallsPerSecond > 0 && options.FaultEvery > TimeSpan.Zero ? options : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>The time it takes to place every call.</summary>
    public TimeSpan PlacingTime => TimeSpan.FromSeconds(Calls / CallsPerSecond);

    /// <summary>Where reliability.md goes: the given folder, else the repository's docs/.</summary>
    public string ResultsDirectory => OutputDirectory ?? Path.Combine(RepositoryRoot(), "docs");

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

    private static TimeSpan Seconds(Dictionary<string, string> values, string name, double fallback) =>
        TimeSpan.FromSeconds(values.TryGetValue(name, out var value) ? double.Parse(value, CultureInfo.InvariantCulture) : fallback);
}
