using CallPipeline.AppHost.LocalRun;

namespace CallPipeline.Tests.AppHost;

public sealed class LocalRunSwitchesTests
{
    [Fact]
    public void A_bare_flag_is_true_and_does_not_swallow_the_next_switch()
    {
        var normalized = LocalRunSwitches.Normalize(["--demo-call", "--state-file", "state.json"]);

        Assert.Equal(["--AppHost:DemoCall=true", "--AppHost:StateFile=state.json"], normalized);
    }

    [Fact]
    public void Switches_take_their_value_from_the_next_argument_or_after_an_equals_sign()
    {
        var normalized = LocalRunSwitches.Normalize(["--data-dir=.callpipeline", "--servers", "binaries"]);

        Assert.Equal(["--AppHost:DataDirectory=.callpipeline", "--AppHost:Servers=binaries"], normalized);
    }

    [Fact]
    public void Aspires_own_switches_pass_through_unchanged()
    {
        string[] publish = ["--publisher", "manifest", "--output-path", "../aspire-manifest.json"];

        Assert.Equal(publish, LocalRunSwitches.Normalize(publish));
    }

    [Fact]
    public void A_switch_without_its_value_is_refused_by_name()
    {
        var refused = Assert.Throws<ArgumentException>(() => LocalRunSwitches.Normalize(["--state-file"]));

        Assert.Contains("--state-file", refused.Message);
    }

    [Fact]
    public void An_unusable_data_directory_is_named_with_the_reason()
    {
        var options = new LocalRunOptions(StateFile: null, DataDirectory: "/proc/callpipeline-cannot-exist", DemoCall: false);

        Assert.StartsWith("The data directory /proc/callpipeline-cannot-exist cannot be used: ", options.DataDirectoryProblem());
        Assert.Null((options with { DataDirectory = null }).DataDirectoryProblem());
    }
}
