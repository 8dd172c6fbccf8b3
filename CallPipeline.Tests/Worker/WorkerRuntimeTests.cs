using System.Text.Json;

namespace CallPipeline.Tests.Worker;

/// <summary>The worker's runtime settings, as its build writes them for the runtime.</summary>
public sealed class WorkerRuntimeTests
{
    [Fact]
    public void The_worker_runs_without_dynamic_PGO()
    {
        using var runtimeConfig = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "CallPipeline.Worker.runtimeconfig.json")));

        var properties = runtimeConfig.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.False(properties.GetProperty("System.Runtime.TieredPGO").GetBoolean());
    }
}
