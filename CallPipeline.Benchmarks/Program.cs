using CallPipeline.Benchmarks;

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
