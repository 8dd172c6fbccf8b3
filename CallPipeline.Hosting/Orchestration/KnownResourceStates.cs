namespace CallPipeline.Hosting.Orchestration;

/// <summary>Aspire's resource states, as shown in the table and used by WaitFor.</summary>
public static class KnownResourceStates
{
    public const string NotStarted = "NotStarted";
    public const string Waiting = "Waiting";
    public const string Starting = "Starting";
    public const string Running = "Running";
    public const string FailedToStart = "FailedToStart";
    public const string Stopping = "Stopping";
    public const string Exited = "Exited";
    public const string Finished = "Finished";

    public static bool IsTerminal(string state) => state is FailedToStart or Exited or Finished;
}

/// <summary>What is known of a resource at one moment.</summary>
public sealed record ResourceSnapshot(string ResourceType, string State, bool IsHealthy, int? ExitCode, IReadOnlyList<string> Urls, string? ConnectionString)
{
    public static ResourceSnapshot Initial(string resourceType) => new(resourceType, KnownResourceStates.NotStarted, false, null, [], null);
}
