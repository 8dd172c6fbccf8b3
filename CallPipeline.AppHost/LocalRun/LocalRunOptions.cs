using Microsoft.Extensions.Configuration;

namespace CallPipeline.AppHost.LocalRun;

/// <summary>What the operator asked of a local run (see <see cref="LocalRunSwitches"/> and the README's run options).</summary>
internal sealed record LocalRunOptions(string? StateFile, string? DataDirectory, bool DemoCall)
{
    public static LocalRunOptions From(IConfiguration configuration) => new(
        NullIfEmpty(configuration["AppHost:StateFile"]),
        NullIfEmpty(configuration["AppHost:DataDirectory"]),
        configuration.GetValue<bool>("AppHost:DemoCall"));

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
