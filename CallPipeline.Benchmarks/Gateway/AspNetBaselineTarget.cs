using CallPipeline.Benchmarks.Graph;
using CallPipeline.Benchmarks.Measurement;
using CallPipeline.Benchmarks.Reports;

namespace CallPipeline.Benchmarks.Gateway;

/// <summary>
/// <see cref="AspNetBaselineServer"/>, run as this program in its own process, on the runtime settings the gateway runs
/// with (its project file's and the AppHost's): workstation GC, no tiered compilation, no spinning thread-pool workers,
/// socket continuations inline, and the one CPU it is given (<see cref="OwnCpu.ServerEnvironment"/>).
/// </summary>
public sealed class AspNetBaselineTarget(string workDirectory) : BaselineServerTarget(workDirectory)
{
    public override string Name => GatewayReport.AspNetBaselineName;

    protected override Task<ServerProcess> StartServerAsync(IReadOnlyDictionary<string, string> environment, string outputFile, CancellationToken cancellationToken)
    {
        var settings = new Dictionary<string, string>(environment)
        {
            ["DOTNET_gcServer"] = "0",
            ["DOTNET_TieredCompilation"] = "0",
            ["DOTNET_ThreadPool_UnfairSemaphoreSpinLimit"] = "0",
            ["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"] = "1",
        };
        foreach (var (key, value) in OwnCpu.ServerEnvironment())
        {
            settings[key] = value;
        }
        // This program's own executable, beside its assembly (also where the tests run the benchmarks in-process).
        var program = Path.ChangeExtension(typeof(AspNetBaselineServer).Assembly.Location, null);
        return Task.FromResult(ServerProcess.Start(program, [AspNetBaselineServer.Mode], WorkDirectory, settings, outputFile));
    }
}
