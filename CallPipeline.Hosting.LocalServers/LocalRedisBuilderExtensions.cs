using Aspire.Hosting.ApplicationModel;
using CallPipeline.Hosting.LocalServers;
using Microsoft.Extensions.DependencyInjection;

namespace Aspire.Hosting;

/// <summary>
/// <c>AddLocalRedis(name)</c>: the machine's redis-server as an Aspire executable resource, shaped like
/// <c>AddRedis(name)</c> (same password parameter, connection string and health check), for machines without a
/// container engine. It keeps an append-only file in its data folder, so a restart loses no stream entry.
/// </summary>
public static class LocalRedisBuilderExtensions
{
    public static IResourceBuilder<LocalRedisResource> AddLocalRedis(
        this IDistributedApplicationBuilder builder, [ResourceName] string name, ServerDataDirectory data, IResourceBuilder<ParameterResource>? password = null)
    {
        // No special characters: StackExchange.Redis cannot parse a comma in a password (as Aspire's AddRedis).
        var passwordParameter = password?.Resource ?? ParameterResourceBuilderExtensions.CreateDefaultPasswordParameter(builder, $"{name}-password", special: false);
        var redis = new LocalRedisResource(name, passwordParameter, data.PathFor(name));

        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(redis, async (_, cancellationToken) =>
        {
            if (MachinePrograms.FindOnPath("redis-server") is null)
            {
                throw new DistributedApplicationException(MachinePrograms.Missing("redis-server", "redis-server"));
            }
            var value = await passwordParameter.GetValueAsync(cancellationToken) ?? throw new DistributedApplicationException($"{passwordParameter.Name} has no value.");
            await WriteConfigAsync(redis, value, cancellationToken);
        });

        string? connectionString = null;
        builder.Eventing.Subscribe<ConnectionStringAvailableEvent>(redis, async (_, cancellationToken) =>
            connectionString = await redis.ConnectionStringExpression.GetValueAsync(cancellationToken));

        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().AddRedis(
            _ => connectionString ?? throw new InvalidOperationException("Connection string is unavailable"),
            name: healthCheckKey);

        return builder.AddResource(redis)
            .WithEndpoint(name: LocalRedisResource.PrimaryEndpointName, scheme: "tcp")
            .WithArgs(context =>
            {
                context.Args.Add(redis.ConfigFile);
                context.Args.Add("--port");
                context.Args.Add(redis.PrimaryEndpoint.Property(EndpointProperty.TargetPort));
            })
            .WithIconName("Memory")
            .WithHealthCheck(healthCheckKey)
            .ExcludeFromManifest();
    }

    private static async Task WriteConfigAsync(LocalRedisResource redis, string password, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(redis.DataRoot);
        var config = $"""
            bind 127.0.0.1
            requirepass {password}
            dir {redis.DataRoot}
            appendonly yes
            appendfsync everysec
            save ""
            """;
        await File.WriteAllTextAsync(redis.ConfigFile, config, cancellationToken);
        File.SetUnixFileMode(redis.ConfigFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
