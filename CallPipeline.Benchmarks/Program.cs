using CallPipeline.Benchmarks;
using CallPipeline.Benchmarks.Gateway;

if (args is [AspNetBaselineServer.Mode])
{
    // The gateway benchmark's ASP.NET Core baseline, started by the benchmark in a process of its own.
    await AspNetBaselineServer.RunAsync();
    return 0;
}

if (BenchmarkOptions.Parse(args) is not { } options)
{
    Console.Error.WriteLine(BenchmarkOptions.Usage);
    return 2;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
await BenchmarkSuite.RunAsync(options, stop.Token);
return 0;
