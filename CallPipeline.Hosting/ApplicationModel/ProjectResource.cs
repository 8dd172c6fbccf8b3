namespace CallPipeline.Hosting.ApplicationModel;

/// <summary>A .NET project of the solution, run as a child process from its build output.</summary>
public sealed class ProjectResource(string name, IProjectMetadata metadata)
    : Resource(name), IResourceWithEndpoints, IResourceWithEnvironment, IResourceWithWaitSupport, IResourceWithHealth
{
    public IProjectMetadata Metadata { get; } = metadata;

    public LaunchProfile? LaunchProfile { get; } = LaunchProfile.Read(metadata.ProjectPath);
}

/// <summary>Where a project is, generated at build time into the <c>Projects</c> namespace, as Aspire does.</summary>
public interface IProjectMetadata
{
    /// <summary>The project file.</summary>
    string ProjectPath { get; }

    /// <summary>The built assembly that runs the project.</summary>
    string TargetPath { get; }
}
