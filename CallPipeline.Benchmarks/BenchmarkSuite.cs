using CallPipeline.Benchmarks.Gateway;
using CallPipeline.Benchmarks.Graph;
using CallPipeline.Benchmarks.HotPath;
using CallPipeline.Benchmarks.Pipeline;
using CallPipeline.Benchmarks.Reports;

namespace CallPipeline.Benchmarks;

/// <summary>What one run measured; a mode not run is null.</summary>
public sealed record BenchmarkResults(HotPathReport? HotPath, GraphReport? Graph, GatewayReport? Gateway, LatencyReport? Latency, WorkerReport? Worker);

/// <summary>
/// Runs the modes the command line names, prints their tables and writes their results. The hot path needs no graph;
/// the graph mode runs the AppHost's own run command while nothing else runs (a quick run measures the benchmark's graph
/// instead); the gateway, latency and worker modes share one graph, started once.
/// </summary>
public static class BenchmarkSuite
{
    public static async Task<BenchmarkResults> RunAsync(BenchmarkOptions options, CancellationToken cancellationToken)
    {
        HotPathReport? hotPath = null;
        GraphReport? graphReport = null;
        if (options.Runs("hotpath"))
        {
            hotPath = HotPathBenchmark.Run(options);
            Print(hotPath.MarkdownTable());
            ResultsWriter.Write(options.ResultsDirectory, hotPath);
        }
        if (options.Runs("graph") && !options.Quick)
        {
            graphReport = await new GraphBenchmark(options).RunCommandAsync(cancellationToken);
            Print(graphReport.MarkdownTable());
            ResultsWriter.Write(options.ResultsDirectory, graphReport);
        }
        if (!(options.Runs("gateway") || options.Runs("latency") || options.Runs("worker") || (options.Runs("graph") && options.Quick)))
        {
            return new BenchmarkResults(hotPath, graphReport, null, null, null);
        }

        await using var graph = await BenchmarkGraph.StartAsync(GatewayEnvironment(options), options.WorkerEnvironment, cancellationToken);
        Console.WriteLine($"The graph is up ({graph.StartedIn.TotalSeconds:0.0} s); voice at {graph.VoiceUrl}");
        try
        {
            return await RunOnGraphAsync(options, graph, hotPath, graphReport, cancellationToken);
        }
        finally
        {
            if (options.LogsDirectory is { } logs)
            {
                graph.Logs.WriteTo(logs);
            }
        }
    }

    /// <summary>
    /// The gateway's environment: when the gateway benchmark gives it a CPU of its own, the runtime is told so
    /// (<see cref="OwnCpu.ServerEnvironment"/>); what the command line sets wins.
    /// </summary>
    public static IReadOnlyDictionary<string, string> GatewayEnvironment(BenchmarkOptions options) =>
        (options.Runs("gateway") && !options.SharedCpus ? OwnCpu.ServerEnvironment() : new Dictionary<string, string>())
            .Concat(options.GatewayEnvironment).GroupBy(e => e.Key).ToDictionary(g => g.Key, g => g.Last().Value);

    private static async Task<BenchmarkResults> RunOnGraphAsync(BenchmarkOptions options, BenchmarkGraph graph, HotPathReport? hotPath, GraphReport? graphReport, CancellationToken cancellationToken)
    {
        GatewayReport? gateway = null;
        LatencyReport? latency = null;
        WorkerReport? worker = null;
        if (options.Runs("graph") && options.Quick)
        {
            graphReport = await new GraphBenchmark(options).BenchmarkGraphAsync(graph, cancellationToken);
            Print(graphReport.MarkdownTable());
            ResultsWriter.Write(options.ResultsDirectory, graphReport);
        }
        if (options.Runs("gateway"))
        {
            gateway = await new GatewayBenchmark(options).RunAsync(graph, cancellationToken);
            Print(gateway.MarkdownTable() + Environment.NewLine + gateway.BaselineRatios() + Environment.NewLine + gateway.ThreadTable());
            ResultsWriter.Write(options.ResultsDirectory, gateway);
        }
        if (options.Runs("latency"))
        {
            latency = await new LatencyBenchmark(options).RunAsync(graph, cancellationToken);
            Print(latency.MarkdownTable());
            ResultsWriter.Write(options.ResultsDirectory, latency);
        }
        if (options.Runs("worker"))
        {
            worker = await new WorkerBenchmark(options).RunAsync(graph, cancellationToken);
            Print(worker.MarkdownTable());
            ResultsWriter.Write(options.ResultsDirectory, worker);
        }
        return new BenchmarkResults(hotPath, graphReport, gateway, latency, worker);
    }

    private static void Print(string table)
    {
        Console.WriteLine();
        Console.WriteLine(table);
    }
}
