namespace CallPipeline.Hosting.LocalServers;

/// <summary>
/// Where a local server keeps its data: a folder the operator names (kept between runs), or a fresh folder per
/// AppHost run that is removed when the AppHost stops.
/// </summary>
public sealed record ServerDataDirectory(string Root, bool IsKept)
{
    private static readonly TimeSpan RemovalPatience = TimeSpan.FromSeconds(10);

    /// <summary>A named folder, or a fresh one under the temp folder when <paramref name="keptRoot"/> is empty.</summary>
    public static ServerDataDirectory For(string? keptRoot) =>
        string.IsNullOrEmpty(keptRoot)
            ? new(Path.Combine(Path.GetTempPath(), "callpipeline", Guid.NewGuid().ToString("N")[..12]), IsKept: false)
            : new(Path.GetFullPath(keptRoot), IsKept: true);

    public string PathFor(string resourceName) => Path.Combine(Root, resourceName);

    /// <summary>
    /// Deletes a fresh folder, trying again for up to <see cref="RemovalPatience"/>: a server still
    /// exiting writes its last files while the folder is deleted, and a single attempt then fails with "directory not
    /// empty". Each throwaway Postgres holds gigabytes after a benchmark; left behind, they filled a disk.
    /// </summary>
    public void RemoveIfTemporary()
    {
        if (IsKept)
        {
            return;
        }
        var deadline = DateTime.UtcNow + RemovalPatience;
        while (Directory.Exists(Root))
        {
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                if (DateTime.UtcNow >= deadline)
                {
                    return;
                }
                Thread.Sleep(TimeSpan.FromMilliseconds(250));
            }
        }
    }
}
