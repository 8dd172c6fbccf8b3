namespace CallPipeline.Hosting.LocalServers;

/// <summary>
/// Where a local server keeps its data: a folder the operator names (kept between runs), or a fresh folder per
/// AppHost run that is removed when the AppHost stops.
/// </summary>
public sealed record ServerDataDirectory(string Root, bool IsKept)
{
    /// <summary>A named folder, or a fresh one under the temp folder when <paramref name="keptRoot"/> is empty.</summary>
    public static ServerDataDirectory For(string? keptRoot) =>
        string.IsNullOrEmpty(keptRoot)
            ? new(Path.Combine(Path.GetTempPath(), "callpipeline", Guid.NewGuid().ToString("N")[..12]), IsKept: false)
            : new(Path.GetFullPath(keptRoot), IsKept: true);

    public string PathFor(string resourceName) => Path.Combine(Root, resourceName);

    public void RemoveIfTemporary()
    {
        if (IsKept || !Directory.Exists(Root))
        {
            return;
        }
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A server still exiting can hold a file for a moment; the folder is under the temp folder anyway.
        }
    }
}
