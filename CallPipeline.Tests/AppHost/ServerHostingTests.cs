using Aspire.Hosting;
using CallPipeline.AppHost.Extensions;

namespace CallPipeline.Tests.AppHost;

/// <summary>Where Postgres and Redis run: the rule the README states, and its override.</summary>
public sealed class ServerHostingTests
{
    [Theory]
    [InlineData("binaries", nameof(ServerHosting.MachineBinaries))]
    [InlineData("containers", nameof(ServerHosting.Containers))]
    [InlineData("Binaries", nameof(ServerHosting.MachineBinaries))]
    public void A_local_run_takes_the_forced_choice(string forced, string expected)
    {
        var builder = DistributedApplication.CreateBuilder([$"--{ServerHostingExtensions.OverrideKey}={forced}"]);

        Assert.Equal(expected, builder.ChooseServerHosting().ToString());
    }

    [Fact]
    public void Publishing_always_uses_Aspires_containers_whatever_is_forced()
    {
        var builder = DistributedApplication.CreateBuilder(["--publisher", "manifest", $"--{ServerHostingExtensions.OverrideKey}=binaries"]);

        Assert.Equal(ServerHosting.Containers, builder.ChooseServerHosting());
    }

    [Fact]
    public void Without_a_container_runtime_that_answers_a_local_run_uses_the_machines_binaries()
    {
        // A runtime name that is on no PATH stands for a machine without a container engine.
        var builder = DistributedApplication.CreateBuilder(["--ASPIRE_CONTAINER_RUNTIME=callpipeline-no-such-runtime"]);

        Assert.Equal(ServerHosting.MachineBinaries, builder.ChooseServerHosting());
    }

    [Fact]
    public void An_unknown_choice_is_refused_with_the_valid_ones()
    {
        var builder = DistributedApplication.CreateBuilder([$"--{ServerHostingExtensions.OverrideKey}=kubernetes"]);

        var refused = Assert.Throws<ArgumentException>(() => builder.ChooseServerHosting());
        Assert.Contains("'containers', 'binaries' or 'auto'", refused.Message);
    }
}
