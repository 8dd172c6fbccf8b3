using Microsoft.Extensions.Configuration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Wires an EF Core context to Postgres the way Aspire.Npgsql.EntityFrameworkCore.PostgreSQL does:
/// connection string from ConnectionStrings:{name}, pooling, retries, a health check and tracing.
/// </summary>
public static class NpgsqlDbContextExtensions
{
    public static void AddNpgsqlDbContext<TContext>(
        this IHostApplicationBuilder builder,
        string connectionName,
        Action<DbContextOptionsBuilder>? configureDbContextOptions = null)
        where TContext : DbContext
    {
        var connectionString = builder.Configuration.GetConnectionString(connectionName)
            ?? throw new InvalidOperationException(
                $"ConnectionStrings:{connectionName} is not configured. Run the service from the AppHost or set ConnectionStrings__{connectionName}.");

        builder.Services.AddDbContextPool<TContext>(options =>
        {
            options.UseNpgsql(connectionString, npgsql => npgsql.EnableRetryOnFailure());
            configureDbContextOptions?.Invoke(options);
        });

        builder.Services.AddHealthChecks().AddNpgSql(connectionString, name: connectionName, tags: ["ready"]);
        builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing.AddNpgsql());
    }
}
