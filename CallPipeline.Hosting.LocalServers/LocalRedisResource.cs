namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// redis-server from the machine's binaries as an executable resource: the counterpart of Aspire's
/// <see cref="RedisResource"/> container. Same connection string shape, append-only persistence in its data folder.
/// </summary>
public sealed class LocalRedisResource(string name, ParameterResource password, string dataRoot)
    : ExecutableResource(name, "redis-server", dataRoot), IResourceWithConnectionString
{
    internal const string PrimaryEndpointName = "tcp";

    public ParameterResource PasswordParameter { get; } = password;

    public string DataRoot { get; } = dataRoot;

    /// <summary>The server's settings file: it holds the password, so it is readable by its owner only and never on a command line.</summary>
    public string ConfigFile => Path.Combine(DataRoot, "redis.conf");

    public EndpointReference PrimaryEndpoint => field ??= new(this, PrimaryEndpointName);

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"{PrimaryEndpoint.Property(EndpointProperty.Host)}:{PrimaryEndpoint.Property(EndpointProperty.Port)},password={PasswordParameter}");
}
