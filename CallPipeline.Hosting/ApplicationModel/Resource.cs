namespace CallPipeline.Hosting.ApplicationModel;

/// <summary>A named part of the distributed application: a server, a database, a project or a parameter.</summary>
public interface IResource
{
    string Name { get; }

    List<IResourceAnnotation> Annotations { get; }
}

/// <summary>Metadata attached to a resource (references, waits, endpoints, environment).</summary>
public interface IResourceAnnotation;

public abstract class Resource(string name) : IResource
{
    public string Name { get; } = ModelName.Validate(name);

    public List<IResourceAnnotation> Annotations { get; } = [];

    public override string ToString() => Name;
}

/// <summary>A resource others connect to through <c>ConnectionStrings__{name}</c>.</summary>
public interface IResourceWithConnectionString : IResource, IManifestExpressionProvider, IValueProvider
{
    ReferenceExpression ConnectionStringExpression { get; }

    string IManifestExpressionProvider.ValueExpression => $"{{{Name}.connectionString}}";

    ValueTask<string?> IValueProvider.GetValueAsync(CancellationToken cancellationToken) =>
        ConnectionStringExpression.GetValueAsync(cancellationToken);
}

/// <summary>A resource that listens on endpoints.</summary>
public interface IResourceWithEndpoints : IResource;

/// <summary>A resource that takes environment variables.</summary>
public interface IResourceWithEnvironment : IResource;

/// <summary>A resource that can wait for others before it starts.</summary>
public interface IResourceWithWaitSupport : IResource;

/// <summary>A resource whose readiness is checked before its dependents start.</summary>
public interface IResourceWithHealth : IResource;
