namespace CallPipeline.Hosting.ApplicationModel;

/// <summary>A PostgreSQL server. Published as Aspire's postgres container; run locally from the machine's binaries.</summary>
public sealed class PostgresServerResource : Resource, IResourceWithConnectionString, IResourceWithEndpoints, IResourceWithWaitSupport, IResourceWithHealth
{
    public const string PrimaryEndpointName = "tcp";
    public const string UserName = "postgres";
    public const string Image = "docker.io/library/postgres:17.6";

    public PostgresServerResource(string name, ParameterResource password) : base(name)
    {
        PasswordParameter = password;
        Annotations.Add(new EndpointAnnotation(PrimaryEndpointName, "tcp", "tcp", targetPort: 5432));
        PrimaryEndpoint = new EndpointReference(this, PrimaryEndpointName);
    }

    public ParameterResource PasswordParameter { get; }

    public EndpointReference PrimaryEndpoint { get; }

    /// <summary>A named data directory kept between runs; null for fresh data each run.</summary>
    public string? DataDirectory { get; set; }

    public List<PostgresDatabaseResource> Databases { get; } = [];

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host={PrimaryEndpoint.Property(EndpointProperty.Host)};Port={PrimaryEndpoint.Property(EndpointProperty.Port)};Username={UserName};Password={PasswordParameter}");
}

/// <summary>A database on a <see cref="PostgresServerResource"/>, created when the server is up.</summary>
public sealed class PostgresDatabaseResource(string name, string databaseName, PostgresServerResource parent)
    : Resource(name), IResourceWithConnectionString, IResourceWithWaitSupport, IResourceWithHealth
{
    public string DatabaseName { get; } = databaseName;

    public PostgresServerResource Parent { get; } = parent;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"{Parent};Database={DatabaseName}");
}
