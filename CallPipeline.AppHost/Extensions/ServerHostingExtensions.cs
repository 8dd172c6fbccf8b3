using System.Diagnostics;
using CallPipeline.Hosting.LocalServers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CallPipeline.AppHost.Extensions;

/// <summary>Where Postgres and Redis run.</summary>
internal enum ServerHosting
{
    /// <summary>Aspire's postgres and redis containers: always when publishing, and locally when a container runtime answers.</summary>
    Containers,

    /// <summary>The machine's own PostgreSQL and redis-server, as executable resources with the same names.</summary>
    MachineBinaries,
}

internal static class ServerHostingExtensions
{
    /// <summary>Forces the choice in local runs: <c>containers</c> or <c>binaries</c> (<c>--servers</c>, or <c>AppHost__Servers</c>).</summary>
    public const string OverrideKey = "AppHost:Servers";

    private static readonly TimeSpan RuntimeCheckTimeout = TimeSpan.FromSeconds(10);

    public static ServerHosting ChooseServerHosting(this IDistributedApplicationBuilder builder)
    {
        if (builder.ExecutionContext.IsPublishMode)
        {
            return ServerHosting.Containers;
        }
        return builder.Configuration[OverrideKey]?.ToLowerInvariant() switch
        {
            "containers" => ServerHosting.Containers,
            "binaries" => ServerHosting.MachineBinaries,
            null or "" or "auto" => ContainerRuntimeAnswers(builder.Configuration) ? ServerHosting.Containers : ServerHosting.MachineBinaries,
            var other => throw new ArgumentException($"{OverrideKey} is '{other}': use 'containers', 'binaries' or 'auto'."),
        };
    }

    /// <summary>With <c>--data-dir</c>, the container keeps its data in that folder between runs.</summary>
    public static IResourceBuilder<PostgresServerResource> WithKeptData(this IResourceBuilder<PostgresServerResource> postgres, string? dataDirectory) =>
        dataDirectory is null ? postgres : postgres.WithDataBindMount(Path.Combine(Path.GetFullPath(dataDirectory), postgres.Resource.Name));

    /// <inheritdoc cref="WithKeptData(IResourceBuilder{PostgresServerResource}, string?)"/>
    public static IResourceBuilder<RedisResource> WithKeptData(this IResourceBuilder<RedisResource> redis, string? dataDirectory) =>
        dataDirectory is null ? redis : redis.WithDataBindMount(Path.Combine(Path.GetFullPath(dataDirectory), redis.Resource.Name));

    /// <summary>
    /// Redis keeps an append-only file, so a restart loses no stream entry (as the machine-binaries resource does).
    /// AddRedis has no setting for it: WithPersistence only schedules RDB snapshots, which lose what came after the
    /// last one. Its command is separate arguments when run and one <c>/bin/sh -c</c> line when published, so the
    /// switch goes on the end of either. Published, the data folder is a volume, so the file outlives the container.
    /// </summary>
    public static IResourceBuilder<RedisResource> WithAppendOnlyFile(this IResourceBuilder<RedisResource> redis)
    {
        if (redis.ApplicationBuilder.ExecutionContext.IsPublishMode)
        {
            redis.WithDataVolume();
        }
        return redis.WithArgs(context =>
        {
            if (context.ExecutionContext.IsRunMode)
            {
                context.Args.Add("--appendonly");
                context.Args.Add("yes");
                return;
            }
            var command = context.Args.IndexOf("-c") + 1;
            if (command == 0 || command == context.Args.Count)
            {
                throw new InvalidOperationException("AddRedis no longer publishes its command as '/bin/sh -c <command>': --appendonly yes needs another place.");
            }
            context.Args[command] = $"{context.Args[command]} --appendonly yes";
        });
    }

    /// <summary>A run's throwaway server data goes when the AppHost stops.</summary>
    public static void RemoveWhenStopped(this IDistributedApplicationBuilder builder, ServerDataDirectory data) =>
        builder.Eventing.Subscribe<AfterResourcesCreatedEvent>((@event, _) =>
        {
            @event.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopped.Register(data.RemoveIfTemporary);
            return Task.CompletedTask;
        });

    /// <summary>
    /// Whether the container runtime Aspire would use (ASPIRE_CONTAINER_RUNTIME, docker by default) has a daemon that
    /// answers. A docker CLI without a daemon makes Aspire wait forever on its containers, so that counts as no.
    /// </summary>
    private static bool ContainerRuntimeAnswers(IConfiguration configuration)
    {
        var runtime = configuration["ASPIRE_CONTAINER_RUNTIME"] ?? configuration["DOTNET_ASPIRE_CONTAINER_RUNTIME"] ?? "docker";
        if (MachinePrograms.FindOnPath(runtime) is null)
        {
            return false;
        }
        try
        {
            using var info = Process.Start(new ProcessStartInfo(runtime, ["info", "--format", "{{.ServerVersion}}"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            if (info is null)
            {
                return false;
            }
            if (!info.WaitForExit(RuntimeCheckTimeout))
            {
                info.Kill(entireProcessTree: true);
                return false;
            }
            return info.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
