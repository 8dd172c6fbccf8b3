namespace CallPipeline.Tests.AppHost;

internal static class RepositoryPaths
{
    /// <summary>The folder holding CallPipeline.sln, found from the test assembly's location.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CallPipeline.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("CallPipeline.sln not found above the test assembly.");
    }
}
