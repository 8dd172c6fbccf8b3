using Microsoft.Extensions.Configuration;

namespace CallPipeline.AppHost.LocalRun;

/// <summary>What the operator asked of a local run (see <see cref="LocalRunSwitches"/> and the README's run options).</summary>
/// <param name="EchoOutput">Every resource's output on the console (<c>AppHost:EchoOutput</c>, default true); a program that starts the graph to measure it turns it off.</param>
internal sealed record LocalRunOptions(string? StateFile, string? DataDirectory, bool DemoCall, bool EchoOutput = true)
{
    public static LocalRunOptions From(IConfiguration configuration) => new(
        NullIfEmpty(configuration["AppHost:StateFile"]),
        NullIfEmpty(configuration["AppHost:DataDirectory"]),
        configuration.GetValue<bool>("AppHost:DemoCall"),
        configuration.GetValue("AppHost:EchoOutput", true));

    /// <summary>Null when the run can use its data directory; otherwise the one line that says why not.</summary>
    public string? DataDirectoryProblem()
    {
        if (DataDirectory is null)
        {
            return null;
        }
        try
        {
            Directory.CreateDirectory(DataDirectory);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"The data directory {Path.GetFullPath(DataDirectory)} cannot be used: {ex.Message}";
        }
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
