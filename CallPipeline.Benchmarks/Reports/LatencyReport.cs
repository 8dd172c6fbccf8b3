using System.Globalization;
using System.Text;
using CallPipeline.Benchmarks.Measurement;

namespace CallPipeline.Benchmarks.Reports;

/// <summary>Recording-status callback to webhook delivered, for calls ending one at a time and together.</summary>
public sealed record LatencyRow(int EndingTogether, int Rounds, int Calls, double P50Ms, double P99Ms, double MaxMs)
{
    public static LatencyRow Of(int endingTogether, int rounds, IReadOnlyList<double> latenciesMs) =>
        new(endingTogether, rounds, latenciesMs.Count, Percentile.Of(latenciesMs, 0.5), Percentile.Of(latenciesMs, 0.99), latenciesMs.DefaultIfEmpty(0).Max());
}

/// <param name="SingleCallSteps">The worker's step durations of the calls that ended one at a time: where their time went.</param>
public sealed record LatencyReport(DateTimeOffset Started, MachineInfo Machine, bool Quick, double LoadAverage, double CallSeconds, IReadOnlyList<LatencyRow> Rows,
    IReadOnlyList<StepRow> SingleCallSteps)
{
    public const double TargetP50Ms = 300;

    public string MarkdownTable()
    {
        var text = new StringBuilder();
        text.AppendLine("| calls ending together | rounds | calls measured | p50 ms | p99 ms | max ms | target |");
        text.AppendLine("| --- | --- | --- | --- | --- | --- | --- |");
        foreach (var row in Rows)
        {
            var target = row.EndingTogether == 1
                ? row.P50Ms < TargetP50Ms ? $"pass (p50 < {TargetP50Ms:0} ms)" : $"FAIL (p50 ≥ {TargetP50Ms:0} ms)"
                : "";
            text.AppendLine(CultureInfo.InvariantCulture, $"| {row.EndingTogether} | {row.Rounds} | {row.Calls} | {row.P50Ms:#,0} | {row.P99Ms:#,0} | {row.MaxMs:#,0} | {target} |");
        }
        text.AppendLine();
        text.AppendLine("Where a call ending alone spends its time in the worker (its `step_timings`; the rest is the gateway, the queue, the save and the webhook):");
        text.AppendLine();
        text.Append(StepRow.Table(SingleCallSteps));
        return text.ToString();
    }
}
