using CallPipeline.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;

namespace CallPipeline.Hosting;

public interface IDistributedApplicationBuilder
{
    ConfigurationManager Configuration { get; }

    DistributedApplicationExecutionContext ExecutionContext { get; }

    /// <summary>Resources in the order they were added; that is the manifest's order.</summary>
    IReadOnlyList<IResource> Resources { get; }

    /// <summary>The AppHost project's folder.</summary>
    string AppHostDirectory { get; }

    string EnvironmentName { get; }

    IResourceBuilder<T> AddResource<T>(T resource) where T : IResource;

    IResourceBuilder<T> CreateResourceBuilder<T>(T resource) where T : IResource;

    DistributedApplication Build();
}

public interface IResourceBuilder<out T> where T : IResource
{
    IDistributedApplicationBuilder ApplicationBuilder { get; }

    T Resource { get; }
}

internal sealed record ResourceBuilder<T>(IDistributedApplicationBuilder ApplicationBuilder, T Resource) : IResourceBuilder<T> where T : IResource;

/// <summary>Whether the AppHost runs the graph or publishes its manifest.</summary>
public sealed class DistributedApplicationExecutionContext(bool isPublishMode)
{
    public bool IsPublishMode { get; } = isPublishMode;

    public bool IsRunMode => !IsPublishMode;
}
