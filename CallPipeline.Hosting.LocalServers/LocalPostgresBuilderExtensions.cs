using Aspire.Hosting.ApplicationModel;
using CallPipeline.Hosting.LocalServers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Aspire.Hosting;

/// <summary>
/// <c>AddLocalPostgres(name).AddDatabase(db)</c>: the machine's PostgreSQL as an Aspire executable resource, shaped
/// like <c>AddPostgres(name).AddDatabase(db)</c> (same password parameter, connection strings, health checks and
/// database creation), for machines without a container engine.
/// </summary>
public static class LocalPostgresBuilderExtensions
{
    public static IResourceBuilder<LocalPostgresServerResource> AddLocalPostgres(
        this IDistributedApplicationBuilder builder, [ResourceName] string name, ServerDataDirectory data, IResourceBuilder<ParameterResource>? password = null)
    {
        var passwordParameter = password?.Resource ?? ParameterResourceBuilderExtensions.CreateDefaultPasswordParameter(builder, $"{name}-password");
        var binDirectory = MachinePrograms.FindPostgresBinDirectory();
        var (command, userPrefix) = MachinePrograms.AsPostgresUser(binDirectory is null ? "postgres" : Path.Combine(binDirectory, "postgres"));
        var root = data.PathFor(name);
        var server = new LocalPostgresServerResource(name, command, passwordParameter, root);

        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(server, async (@event, cancellationToken) =>
        {
            if (binDirectory is null)
            {
                throw new DistributedApplicationException(MachinePrograms.Missing("PostgreSQL (/usr/lib/postgresql/*/bin/postgres)", "postgresql"));
            }
            var logger = @event.Services.GetRequiredService<ResourceLoggerService>().GetLogger(server);
            var value = await passwordParameter.GetValueAsync(cancellationToken) ?? throw new DistributedApplicationException($"{passwordParameter.Name} has no value.");
            await PostgresDataDirectory.EnsureInitializedAsync(binDirectory, root, value, data.IsKept, line => logger.LogInformation("{Line}", line), cancellationToken);
        });

        string? connectionString = null;
        builder.Eventing.Subscribe<ConnectionStringAvailableEvent>(server, async (_, cancellationToken) =>
            connectionString = await server.ConnectionStringExpression.GetValueAsync(cancellationToken));

        // Aspire creates a container's databases when the server is ready and moves their state with the container's;
        // an executable's children get neither, so both happen here.
        builder.Eventing.Subscribe<ResourceReadyEvent>(server, async (@event, cancellationToken) =>
        {
            await using var connection = new NpgsqlConnection(connectionString + ";Database=postgres");
            await connection.OpenAsync(cancellationToken);
            var notifications = @event.Services.GetRequiredService<ResourceNotificationService>();
            foreach (var database in builder.Resources.OfType<LocalPostgresDatabaseResource>().Where(d => d.Parent == server))
            {
                await CreateDatabaseIfMissingAsync(connection, database.DatabaseName, cancellationToken);
                await notifications.PublishUpdateAsync(database, state => state with { State = KnownResourceStates.Running, StartTimeStamp = DateTime.UtcNow });
            }
        });

        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().AddNpgSql(
            _ => (connectionString ?? throw new InvalidOperationException("Connection string is unavailable")) + ";Database=postgres",
            name: healthCheckKey);

        return builder.AddResource(server)
            .WithEndpoint(name: LocalPostgresServerResource.PrimaryEndpointName, scheme: "tcp")
            .WithArgs(context =>
            {
                foreach (var argument in userPrefix)
                {
                    context.Args.Add(argument);
                }
                context.Args.Add("-p");
                context.Args.Add(server.PrimaryEndpoint.Property(EndpointProperty.TargetPort));
                foreach (var argument in PostgresDataDirectory.ServerArguments(root, durable: data.IsKept))
                {
                    context.Args.Add(argument);
                }
            })
            .WithIconName("DatabaseMultiple")
            .WithHealthCheck(healthCheckKey)
            .ExcludeFromManifest();
    }

    public static IResourceBuilder<LocalPostgresDatabaseResource> AddDatabase(
        this IResourceBuilder<LocalPostgresServerResource> builder, [ResourceName] string name, string? databaseName = null)
    {
        var database = new LocalPostgresDatabaseResource(name, databaseName ?? name, builder.Resource);
        builder.Resource.AddDatabase(database.Name, database.DatabaseName);

        string? connectionString = null;
        builder.ApplicationBuilder.Eventing.Subscribe<ConnectionStringAvailableEvent>(database, async (_, cancellationToken) =>
            connectionString = await database.ConnectionStringExpression.GetValueAsync(cancellationToken));

        var healthCheckKey = $"{name}_check";
        builder.ApplicationBuilder.Services.AddHealthChecks().AddNpgSql(
            _ => connectionString ?? throw new InvalidOperationException("Connection string is unavailable"),
            name: healthCheckKey);

        return builder.ApplicationBuilder.AddResource(database)
            .WithIconName("Database")
            .WithHealthCheck(healthCheckKey)
            .ExcludeFromManifest();
    }

    private static async Task CreateDatabaseIfMissingAsync(NpgsqlConnection connection, string databaseName, CancellationToken cancellationToken)
    {
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", databaseName);
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE {new NpgsqlCommandBuilder().QuoteIdentifier(databaseName)}", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
