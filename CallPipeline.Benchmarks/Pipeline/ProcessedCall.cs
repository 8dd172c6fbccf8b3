extern alias worker;

using System.Text.Json;
using CallPipeline.Benchmarks.Graph;
using CallPipeline.Benchmarks.Reports;
using Microsoft.EntityFrameworkCore;
using worker::CallPipeline.Worker.Pipeline;

namespace CallPipeline.Benchmarks.Pipeline;

/// <summary>What the worker recorded of the calls it processed: each step's duration (its <c>step_timings</c>), the recording's length and URL.</summary>
public sealed record ProcessedCall(string CallSid, string? RecordingUrl, double? AudioSeconds, IReadOnlyDictionary<string, long> StepMs)
{
    private static readonly string[] PipelineOrder =
        [PipelineSteps.Load, PipelineSteps.Fetch, PipelineSteps.Convert, PipelineSteps.Transcribe, PipelineSteps.Summarise, PipelineSteps.Extract];

    public static async Task<IReadOnlyList<ProcessedCall>> ReadAsync(BenchmarkGraph graph, IReadOnlyCollection<string> callSids, CancellationToken cancellationToken)
    {
        await using var db = await graph.OpenCallsDbAsync(cancellationToken);
        var rows = await db.CallLogs.AsNoTracking()
            .Where(c => callSids.Contains(c.CallSid))
            .Select(c => new { c.CallSid, c.RecordingUrl, c.AudioDurationSeconds, c.StepTimings })
            .ToListAsync(cancellationToken);
        return rows.Select(r => new ProcessedCall(r.CallSid, r.RecordingUrl, r.AudioDurationSeconds,
            JsonSerializer.Deserialize<Dictionary<string, long>>(r.StepTimings ?? "{}") ?? [])).ToList();
    }

    /// <summary>Each step's p50 and p99 over the calls, in pipeline order.</summary>
    public static IReadOnlyList<StepRow> Steps(IReadOnlyList<ProcessedCall> calls) =>
        calls.SelectMany(c => c.StepMs.Keys).Distinct()
            .OrderBy(step => Array.IndexOf(PipelineOrder, step) is var index and >= 0 ? index : int.MaxValue)
            .Select(step => StepRow.Of(step, calls.Where(c => c.StepMs.ContainsKey(step)).Select(c => (double)c.StepMs[step]).ToList()))
            .ToList();
}
