namespace CallPipeline.AppHost.LocalRun;

internal static class OperatorVisibility
{
    /// <summary>
    /// The resources an operator sees in the dashboard: not parameters, and not Aspire's hidden helpers (the
    /// dashboard itself, a rebuilder per project that never starts).
    /// </summary>
    public static bool IsShownToOperator(this ResourceEvent resourceEvent) =>
        resourceEvent.Resource is not ParameterResource && !resourceEvent.Snapshot.IsHidden;
}
