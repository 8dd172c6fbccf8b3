using CallPipeline.Hosting.ApplicationModel;

namespace CallPipeline.Hosting;

/// <summary>The fluent API of Aspire's ResourceBuilderExtensions: references, environment, waits, endpoints, health.</summary>
public static class ResourceBuilderExtensions
{
    /// <summary>Injects <c>ConnectionStrings__{name}</c>.</summary>
    public static IResourceBuilder<TDestination> WithReference<TDestination>(
        this IResourceBuilder<TDestination> builder, IResourceBuilder<IResourceWithConnectionString> source, string? connectionName = null)
        where TDestination : IResourceWithEnvironment =>
        builder.WithEnvironment($"ConnectionStrings__{connectionName ?? source.Resource.Name}", ReferenceExpression.FromProvider(source.Resource));

    /// <summary>Injects <c>services__{name}__{endpoint}__0</c> for each endpoint, for service discovery.</summary>
    public static IResourceBuilder<TDestination> WithReference<TDestination>(this IResourceBuilder<TDestination> builder, IResourceBuilder<ProjectResource> source)
        where TDestination : IResourceWithEnvironment
    {
        foreach (var endpoint in source.Resource.Annotations.OfType<EndpointAnnotation>())
        {
            builder.WithEnvironment($"services__{source.Resource.Name}__{endpoint.Name}__0", source.GetEndpoint(endpoint.Name));
        }
        return builder;
    }

    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string name, string value) where T : IResourceWithEnvironment =>
        builder.WithEnvironment(name, ReferenceExpression.FromLiteral(value));

    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string name, IResourceBuilder<ParameterResource> parameter) where T : IResourceWithEnvironment =>
        builder.WithEnvironment(name, ReferenceExpression.FromProvider(parameter.Resource));

    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string name, EndpointReference endpoint) where T : IResourceWithEnvironment =>
        builder.WithEnvironment(name, ReferenceExpression.FromProvider(endpoint));

    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string name, ReferenceExpression value) where T : IResourceWithEnvironment
    {
        builder.Resource.Annotations.RemoveAll(a => a is EnvironmentAnnotation e && e.Name == name);
        builder.Resource.Annotations.Add(new EnvironmentAnnotation(name, value));
        return builder;
    }

    /// <summary>Starts this resource only once <paramref name="dependency"/> runs and is healthy.</summary>
    public static IResourceBuilder<T> WaitFor<T>(this IResourceBuilder<T> builder, IResourceBuilder<IResource> dependency) where T : IResourceWithWaitSupport
    {
        builder.Resource.Annotations.Add(new WaitAnnotation(dependency.Resource, WaitType.WaitUntilHealthy));
        return builder;
    }

    /// <summary>Starts this resource only once <paramref name="dependency"/> has exited with <paramref name="exitCode"/>.</summary>
    public static IResourceBuilder<T> WaitForCompletion<T>(this IResourceBuilder<T> builder, IResourceBuilder<IResource> dependency, int exitCode = 0) where T : IResourceWithWaitSupport
    {
        builder.Resource.Annotations.Add(new WaitAnnotation(dependency.Resource, WaitType.WaitForCompletion, exitCode));
        return builder;
    }

    public static EndpointReference GetEndpoint<T>(this IResourceBuilder<T> builder, string name) where T : IResourceWithEndpoints =>
        new(builder.Resource, name);

    /// <summary>Marks the HTTP endpoints external: reachable from outside the Container Apps environment.</summary>
    public static IResourceBuilder<T> WithExternalHttpEndpoints<T>(this IResourceBuilder<T> builder) where T : IResourceWithEndpoints
    {
        foreach (var endpoint in builder.Resource.Annotations.OfType<EndpointAnnotation>().Where(e => e.Scheme is "http" or "https"))
        {
            endpoint.IsExternal = true;
        }
        return builder;
    }

    public static IResourceBuilder<T> WithHttpHealthCheck<T>(this IResourceBuilder<T> builder, string path = "/health", string endpointName = "http") where T : IResourceWithEndpoints
    {
        builder.Resource.Annotations.Add(new HttpHealthCheckAnnotation(path, endpointName));
        return builder;
    }

    /// <summary>Fails the start early, with the package to install, when <paramref name="program"/> is not on the PATH.</summary>
    public static IResourceBuilder<T> WithRequiredProgram<T>(this IResourceBuilder<T> builder, string program, string package) where T : IResource
    {
        builder.Resource.Annotations.Add(new RequiredProgramAnnotation(program, package));
        return builder;
    }
}
