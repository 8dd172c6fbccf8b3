namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// A PostgreSQL server run from the machine's binaries as an executable resource: the counterpart of Aspire's
/// <see cref="PostgresServerResource"/> container on machines without a container engine. Same connection string
/// shape, same superuser, a tcp endpoint whose port Aspire allocates.
/// </summary>
public sealed class LocalPostgresServerResource(string name, string command, ParameterResource password, string dataRoot)
    : ExecutableResource(name, command, dataRoot), IResourceWithConnectionString
{
    internal const string PrimaryEndpointName = "tcp";
    public const string UserName = "postgres";

    private readonly Dictionary<string, string> _databases = new(StringComparer.OrdinalIgnoreCase);

    public ParameterResource PasswordParameter { get; } = password;

    /// <summary>The folder holding the cluster (<c>data</c>) and the server's sockets.</summary>
    public string DataRoot { get; } = dataRoot;

    public EndpointReference PrimaryEndpoint => field ??= new(this, PrimaryEndpointName);

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host={PrimaryEndpoint.Property(EndpointProperty.Host)};Port={PrimaryEndpoint.Property(EndpointProperty.Port)};Username={UserName};Password={PasswordParameter}");

    /// <summary>Databases by resource name, created once the server is ready.</summary>
    public IReadOnlyDictionary<string, string> Databases => _databases;

    internal void AddDatabase(string resourceName, string databaseName) => _databases.TryAdd(resourceName, databaseName);
}
