using Microsoft.Extensions.Options;

namespace CallPipeline.DevDoubles.Twilio;

/// <summary>The folders under DevDoubles:DataPath where recordings and synthesised speech live.</summary>
public sealed class DataFolders
{
    public DataFolders(IOptions<DevDoublesOptions> options)
    {
        var root = string.IsNullOrWhiteSpace(options.Value.DataPath)
            ? Path.Combine(Path.GetTempPath(), "callpipeline-devdoubles")
            : options.Value.DataPath;
        Recordings = Directory.CreateDirectory(Path.Combine(root, "recordings")).FullName;
        Speech = Directory.CreateDirectory(Path.Combine(root, "speech")).FullName;
    }

    public string Recordings { get; }

    public string Speech { get; }
}
