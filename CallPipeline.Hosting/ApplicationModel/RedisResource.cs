namespace CallPipeline.Hosting.ApplicationModel;

/// <summary>A Redis server. Published as Aspire's redis container; run locally with redis-server.</summary>
public sealed class RedisResource : Resource, IResourceWithConnectionString, IResourceWithEndpoints, IResourceWithWaitSupport, IResourceWithHealth
{
    public const string PrimaryEndpointName = "tcp";
    public const string Image = "docker.io/library/redis:8.2";

    public RedisResource(string name, ParameterResource password) : base(name)
    {
        PasswordParameter = password;
        Annotations.Add(new EndpointAnnotation(PrimaryEndpointName, "tcp", "tcp", targetPort: 6379));
        PrimaryEndpoint = new EndpointReference(this, PrimaryEndpointName);
    }

    public ParameterResource PasswordParameter { get; }

    public EndpointReference PrimaryEndpoint { get; }

    /// <summary>A named data directory kept between runs; null for fresh data each run.</summary>
    public string? DataDirectory { get; set; }

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"{PrimaryEndpoint.Property(EndpointProperty.Host)}:{PrimaryEndpoint.Property(EndpointProperty.Port)},password={PasswordParameter}");
}
