using System.Globalization;
using System.Text;
using CallPipeline.Benchmarks.Measurement;

namespace CallPipeline.Benchmarks.Reports;

/// <summary>The gateway benchmark's results: written as JSON, printed and rendered as a table.</summary>
public sealed record GatewayReport(DateTimeOffset Started, MachineInfo Machine, bool Quick, IReadOnlyList<LevelMeasurement> Levels, IReadOnlyList<string> Notes, bool OwnCpu = false)
{
    public const string NodeBaselineName = "node-ws";

    public const string AspNetBaselineName = "aspnet-ws";

    /// <summary>The baselines, the issue's first: Node.js, then ASP.NET Core (which is compared with Node.js, not the other way).</summary>
    private static readonly string[] Baselines = [NodeBaselineName, AspNetBaselineName];

    /// <summary>A level fails at frame lag p99 of this or more: a media frame is 20 ms of audio.</summary>
    public const double LagTargetMs = 20;

    /// <summary>Threads below this share of a core are left out of <see cref="ThreadTable"/>.</summary>
    private const double ShownThreadCpuPercent = 0.1;

    private static readonly string[] Header =
    [
        "target", "calls", "frames/s", "lag p50 ms", "lag p99 ms", "lag max ms", "lag p99 ms: ramp / hold / end", "ping p50 ms", "ping p99 ms", "CPU %", "CPU µs/frame",
        "RSS MiB", "KiB/call", "finalized", "errors", "generator late p99 ms", "generator CPU % (kernel)", "setup p99 ms", "load", "result",
    ];

    public static string Row(LevelMeasurement m) => string.Join(" | ", Cells(m));

    public string MarkdownTable()
    {
        var text = new StringBuilder();
        text.AppendLine("| " + string.Join(" | ", Header) + " |");
        text.AppendLine("|" + string.Concat(Header.Select(_ => " --- |")));
        foreach (var level in Levels)
        {
            text.AppendLine("| " + string.Join(" | ", Cells(level)) + " |");
        }
        return text.ToString();
    }

    /// <summary>
    /// Each target against each baseline it is not, at the same level: CPU per frame, frame lag p99 and ping p99, as
    /// ratios. Against Node.js the issue's target (CPU a frame at most half); against ASP.NET Core what the gateway's own
    /// work costs above the platform's.
    /// </summary>
    public string BaselineRatios()
    {
        var rows = Baselines.SelectMany(baseline =>
        {
            var levels = Levels.Where(l => l.Target == baseline).ToDictionary(l => l.Calls);
            return Levels.Where(l => IsComparedWith(l.Target, baseline) && levels.ContainsKey(l.Calls))
                .Select(l => (Level: l, Baseline: levels[l.Calls]));
        }).ToList();
        if (rows.Count == 0)
        {
            return "";
        }
        var text = new StringBuilder();
        text.AppendLine("| target | calls | baseline | CPU per frame ÷ baseline's | lag p99 ÷ baseline's | ping p99 ÷ baseline's |");
        text.AppendLine("| --- | --- | --- | --- | --- | --- |");
        foreach (var (level, baseline) in rows)
        {
            text.AppendLine($"| {level.Target} | {level.Calls} | {baseline.Target} | {Ratio(level.CpuMicrosecondsPerFrame, baseline.CpuMicrosecondsPerFrame)} | {Ratio(level.FrameLagP99Ms, baseline.FrameLagP99Ms)} | {Ratio(level.PingRttP99Ms, baseline.PingRttP99Ms)} |");
        }
        return text.ToString();
    }

    /// <summary>
    /// Where each server's CPU went in each level's hold, by thread: the busiest threads, with how often a second they
    /// slept (voluntary switches) and were switched out (involuntary). Empty for results from before it was measured.
    /// </summary>
    public string ThreadTable()
    {
        var rows = Levels.Where(l => l.Threads is { Count: > 0 }).ToList();
        if (rows.Count == 0)
        {
            return "";
        }
        var text = new StringBuilder();
        text.AppendLine("| target | calls | threads in the hold: CPU % of one core (voluntary / involuntary context switches a second) |");
        text.AppendLine("| --- | --- | --- |");
        foreach (var level in rows)
        {
            var busy = level.Threads!.Where(t => t.CpuPercent >= ShownThreadCpuPercent).Select(t =>
                $"{t.Name}{(t.Threads > 1 ? $" ×{t.Threads}" : "")} {t.CpuPercent.ToString("0.0", CultureInfo.InvariantCulture)} ({Number(t.VoluntarySwitchesPerSecond)} / {Number(t.InvoluntarySwitchesPerSecond)})");
            text.AppendLine($"| {level.Target} | {Number(level.Calls)} | {string.Join("; ", busy)} |");
        }
        return text.ToString();
    }

    /// <summary>A target is compared with every baseline; a baseline with those before it (ASP.NET Core with Node.js).</summary>
    private static bool IsComparedWith(string target, string baseline) =>
        Array.IndexOf(Baselines, target) is var index && (index < 0 || index > Array.IndexOf(Baselines, baseline));

    private static string Ratio(double value, double baseline) => baseline > 0 ? (value / baseline).ToString("0.00", CultureInfo.InvariantCulture) : "n/a";

    private static IEnumerable<string> Cells(LevelMeasurement m) =>
    [
        m.Target, Number(m.Calls), Number(m.FramesPerSecond), Ms(m.FrameLagP50Ms), Ms(m.FrameLagP99Ms), Ms(m.FrameLagMaxMs),
        $"{Ms(m.RampLagP99Ms)} / {Ms(m.HoldLagP99Ms)} / {Ms(m.EndLagP99Ms)}",
        Ms(m.PingRttP50Ms), Ms(m.PingRttP99Ms), Number(m.CpuPercent), m.CpuMicrosecondsPerFrame.ToString("0.0", CultureInfo.InvariantCulture),
        Number(m.RssMiB), Number(m.MemoryPerCallKiB), $"{m.Finalized}/{m.Calls}", m.Errors == 0 ? "0" : $"{m.Errors} ({m.ErrorKinds})",
        Ms(m.GeneratorLatenessP99Ms),
        m.GeneratorCpuPercent is { } generatorCpu ? $"{Number(generatorCpu)} ({Number(m.GeneratorKernelCpuPercent ?? 0)})" : "—",
        m.CallSetupP99Ms is { } setup ? Ms(setup) : "—", m.LoadAverage.ToString("0.0", CultureInfo.InvariantCulture), m.Passed ? "pass" : $"FAIL: {m.FailureReason}",
    ];

    private static string Number(double value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    private static string Ms(double value) => value.ToString(value < 10 ? "0.00" : "#,0", CultureInfo.InvariantCulture);
}
