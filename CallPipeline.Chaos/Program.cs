using CallPipeline.Benchmarks.Measurement;
using CallPipeline.Chaos;
using CallPipeline.Chaos.Graph;
using CallPipeline.Chaos.Reports;

if (ChaosOptions.Parse(args) is not { } options)
{
    Console.Error.WriteLine(ChaosOptions.Usage);
    return 2;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

// The AppHost echoes every resource's output to the console; in this run it goes to a log file instead.
var progress = Console.Out;
var logFile = options.LogFile ?? Path.Combine(Path.GetTempPath(), $"callpipeline-chaos-{DateTime.UtcNow:yyyyMMdd-HHmmss}.log");
await using var log = new StreamWriter(logFile) { AutoFlush = true };
Console.SetOut(log);
Console.SetError(log);
progress.WriteLine($"The graph's own output goes to {logFile}");

var stateFile = Path.Combine(Path.GetTempPath(), $"callpipeline-chaos-state-{Guid.NewGuid():N}.json");
progress.WriteLine("Starting the graph through the AppHost...");
ChaosGraph graph;
try
{
    graph = await ChaosGraph.StartAsync(stateFile, stop.Token);
}
catch (OperationCanceledException ex) when (!stop.IsCancellationRequested)
{
    progress.WriteLine($"The graph was not up within {ChaosGraph.StartTimeout.TotalMinutes:0} minutes, so no fault was injected: {ex.Message}");
    return 3;
}
try
{
    var report = await ChaosRun.RunAsync(graph, options, progress, stop.Token);
    progress.WriteLine();
    progress.Write(ReliabilityReport.ToText(report));
    progress.WriteLine($"Written to {ReliabilityReport.Write(report, MachineInfo.Current(), options.ResultsDirectory)}");
    return report.Passed ? 0 : 1;
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    progress.WriteLine("Stopped.");
    return 130;
}
finally
{
    await graph.App.StopAsync();
    await graph.App.DisposeAsync();
    File.Delete(stateFile);
}
