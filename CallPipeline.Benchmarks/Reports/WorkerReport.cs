using System.Globalization;
using System.Text;
using CallPipeline.Benchmarks.Measurement;

namespace CallPipeline.Benchmarks.Reports;

/// <summary>One pipeline step's durations over the measured calls, from the worker's own step timings.</summary>
public sealed record StepRow(string Step, int Calls, double P50Ms, double P99Ms)
{
    public static StepRow Of(string step, IReadOnlyList<double> milliseconds) =>
        new(step, milliseconds.Count, Percentile.Of(milliseconds, 0.5), Percentile.Of(milliseconds, 0.99));

    public static string Table(IEnumerable<StepRow> steps)
    {
        var text = new StringBuilder();
        text.AppendLine("| step | calls | p50 ms | p99 ms |");
        text.AppendLine("| --- | --- | --- | --- |");
        foreach (var step in steps)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {step.Step} | {step.Calls} | {step.P50Ms:#,0} | {step.P99Ms:#,0} |");
        }
        return text.ToString();
    }
}

/// <summary>The worker's throughput against bare ffmpeg on the same recordings, and its step durations.</summary>
public sealed record WorkerReport(
    DateTimeOffset Started,
    MachineInfo Machine,
    bool Quick,
    double LoadAverage,
    int Recordings,
    int WarmUpCalls,
    double MeanRecordingSeconds,
    int Concurrency,
    double WorkerPerMinute,
    double WorkerSeconds,
    double FfmpegPerMinute,
    double FfmpegSeconds,
    double WorkerFfmpegPerMinute,
    double WorkerFfmpegSeconds,
    double WorkerCpuPercent,
    double DoublesCpuPercent,
    IReadOnlyList<StepRow> Steps,
    IReadOnlyList<string>? WorkerSettings = null,
    bool OwnCpu = false)
{
    public const double TargetRatio = 0.7;

    public double Ratio => FfmpegPerMinute > 0 ? WorkerPerMinute / FfmpegPerMinute : 0;

    public string MarkdownTable()
    {
        var text = new StringBuilder();
        text.AppendLine("| through | recordings | mean length s | wall time s | recordings a minute | CPU % (worker / doubles) |");
        text.AppendLine("| --- | --- | --- | --- | --- | --- |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| the whole worker ({Concurrency} jobs at a time) | {Recordings} | {MeanRecordingSeconds:0.0} | {WorkerSeconds:0.0} | {WorkerPerMinute:#,0.0} | {WorkerCpuPercent:0} / {DoublesCpuPercent:0} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| bare ffmpeg, the worker's conversion ({Concurrency} at a time) | {Recordings} | {MeanRecordingSeconds:0.0} | {FfmpegSeconds:0.0} | {FfmpegPerMinute:#,0.0} | |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| bare ffmpeg, the worker's own run: conversion, channel split, silences ({Concurrency} at a time) | {Recordings} | {MeanRecordingSeconds:0.0} | {WorkerFfmpegSeconds:0.0} | {WorkerFfmpegPerMinute:#,0.0} | |");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Worker ÷ bare ffmpeg (the conversion): **{Ratio:P0}** (target ≥ {TargetRatio:P0}: {(Ratio >= TargetRatio ? "pass" : "FAIL")}); the worker's own ffmpeg run alone ÷ the conversion: {(FfmpegPerMinute > 0 ? WorkerFfmpegPerMinute / FfmpegPerMinute : 0):P0}, so the rest of the pipeline costs what lies between.");
        if (WorkerSettings is { Count: > 0 })
        {
            text.AppendLine();
            text.AppendLine("The worker ran with " + string.Join(", ", WorkerSettings) + ".");
        }
        text.AppendLine();
        text.Append(StepRow.Table(Steps));
        return text.ToString();
    }
}
