namespace CallPipeline.Hosting.ApplicationModel;

/// <summary>An endpoint a resource listens on. The port is allocated when the application starts.</summary>
public sealed class EndpointAnnotation(string name, string scheme, string transport, int? targetPort = null) : IResourceAnnotation
{
    public string Name { get; } = name;
    public string Scheme { get; } = scheme;
    public string Transport { get; } = transport;
    public int? TargetPort { get; } = targetPort;
    public bool IsExternal { get; set; }

    /// <summary>A preferred port for local runs, from the launch profile; used when free.</summary>
    public int? PreferredPort { get; init; }

    public AllocatedEndpoint? Allocated { get; internal set; }
}

public sealed record AllocatedEndpoint(string Host, int Port, string Scheme)
{
    public string Url => $"{Scheme}://{Host}:{Port}";
}

public enum EndpointProperty
{
    Url,
    Host,
    Port,
    TargetPort,
}

/// <summary>A reference to another resource's endpoint, e.g. <c>{voice.bindings.http.url}</c>.</summary>
public sealed class EndpointReference(IResourceWithEndpoints resource, string endpointName) : IManifestExpressionProvider, IValueProvider
{
    public IResourceWithEndpoints Resource { get; } = resource;
    public string EndpointName { get; } = endpointName;

    public EndpointAnnotation Endpoint =>
        Resource.Annotations.OfType<EndpointAnnotation>().SingleOrDefault(e => e.Name == EndpointName)
        ?? throw new InvalidOperationException($"Resource '{Resource.Name}' has no endpoint '{EndpointName}'.");

    public string Url => Endpoint.Allocated?.Url ?? throw new InvalidOperationException($"Endpoint '{Resource.Name}/{EndpointName}' is not allocated yet.");

    public string ValueExpression => Property(EndpointProperty.Url).ValueExpression;

    public EndpointReferenceExpression Property(EndpointProperty property) => new(this, property);

    public ValueTask<string?> GetValueAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult<string?>(Url);
}

public sealed class EndpointReferenceExpression(EndpointReference endpoint, EndpointProperty property) : IManifestExpressionProvider, IValueProvider
{
    public EndpointReference Endpoint { get; } = endpoint;

    public string ValueExpression => "{" + $"{Endpoint.Resource.Name}.bindings.{Endpoint.EndpointName}.{PropertyName}" + "}";

    private string PropertyName => property switch
    {
        EndpointProperty.Url => "url",
        EndpointProperty.Host => "host",
        EndpointProperty.Port => "port",
        _ => "targetPort",
    };

    public ValueTask<string?> GetValueAsync(CancellationToken cancellationToken = default)
    {
        var allocated = Endpoint.Endpoint.Allocated ?? throw new InvalidOperationException($"Endpoint '{Endpoint.Resource.Name}/{Endpoint.EndpointName}' is not allocated yet.");
        return ValueTask.FromResult<string?>(property switch
        {
            EndpointProperty.Url => allocated.Url,
            EndpointProperty.Host => allocated.Host,
            _ => allocated.Port.ToString(),
        });
    }
}
