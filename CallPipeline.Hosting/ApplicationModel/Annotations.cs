namespace CallPipeline.Hosting.ApplicationModel;

/// <summary>An environment variable: a literal, or an expression resolved at start.</summary>
public sealed record EnvironmentAnnotation(string Name, ReferenceExpression Value) : IResourceAnnotation;

public enum WaitType
{
    /// <summary>Wait until the dependency runs and its health checks pass.</summary>
    WaitUntilHealthy,

    /// <summary>Wait until the dependency has exited with the expected code.</summary>
    WaitForCompletion,
}

public sealed record WaitAnnotation(IResource Resource, WaitType WaitType, int ExitCode = 0) : IResourceAnnotation;

/// <summary>An HTTP GET that must answer 2xx before the resource counts as healthy.</summary>
public sealed record HttpHealthCheckAnnotation(string Path, string EndpointName) : IResourceAnnotation;

/// <summary>A program the resource needs on the machine, with the Debian package that provides it.</summary>
public sealed record RequiredProgramAnnotation(string Program, string Package) : IResourceAnnotation;
