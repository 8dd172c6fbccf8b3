using CallPipeline.AppHost.LocalRun;

namespace CallPipeline.Tests.AppHost;

public sealed class GraphStateTests
{
    [Fact]
    public void The_resource_table_keeps_its_columns_apart_whatever_the_length_of_a_type()
    {
        var state = new GraphState(null,
        [
            new("callsdb", "LocalPostgresDatabaseResource", "Running", [], null),
            new("voice", "Project", "Running", ["http://localhost:5180"], null),
        ], new Dictionary<string, string?>());

        var lines = state.ToTable().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        var header = lines[0];
        Assert.Contains("LocalPostgresDatabaseResource  Running", lines[1], StringComparison.Ordinal);
        Assert.Equal(header.IndexOf("STATE", StringComparison.Ordinal), lines[1].IndexOf("Running", StringComparison.Ordinal));
        Assert.Equal(header.IndexOf("URLS", StringComparison.Ordinal), lines[2].IndexOf("http://", StringComparison.Ordinal));
    }
}
