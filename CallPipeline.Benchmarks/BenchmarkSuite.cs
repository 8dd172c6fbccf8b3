using CallPipeline.Benchmarks.Gateway;
using CallPipeline.Benchmarks.HotPath;
using CallPipeline.Benchmarks.Reports;

namespace CallPipeline.Benchmarks;

/// <summary>Runs the benchmarks the command line names, prints their tables and writes their results.</summary>
public static class BenchmarkSuite
{
    public static async Task<(GatewayReport? Gateway, HotPathReport? HotPath)> RunAsync(BenchmarkOptions options, CancellationToken cancellationToken)
    {
        GatewayReport? gateway = null;
        HotPathReport? hotPath = null;
        if (options.Benchmark is "hotpath" or "all")
        {
            hotPath = HotPathBenchmark.Run(options);
            Console.WriteLine(hotPath.MarkdownTable());
            ResultsWriter.Write(options.ResultsDirectory, hotPath);
        }
        if (options.Benchmark is "gateway" or "all")
        {
            gateway = await new GatewayBenchmark(options).RunAsync(cancellationToken);
            Console.WriteLine(gateway.MarkdownTable());
            Console.WriteLine(gateway.BaselineRatios());
            ResultsWriter.Write(options.ResultsDirectory, gateway);
        }
        return (gateway, hotPath);
    }
}
