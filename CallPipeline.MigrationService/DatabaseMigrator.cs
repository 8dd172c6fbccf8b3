using System.Diagnostics;
using CallPipeline.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Options;

namespace CallPipeline.MigrationService;

/// <summary>
/// Applies pending migrations and, in Development, seeds the demo business; then stops the process.
/// A failure is rethrown so the process exits non-zero and the AppHost does not start the services.
/// </summary>
public sealed class DatabaseMigrator(
    IServiceProvider serviceProvider,
    IHostEnvironment environment,
    IOptions<DemoBusinessOptions> demoBusiness,
    IHostApplicationLifetime lifetime,
    ILogger<DatabaseMigrator> logger) : BackgroundService
{
    public const string ActivitySourceName = "CallPipeline.MigrationService";
    private static readonly ActivitySource ActivitySource = new(ActivitySourceName);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var activity = ActivitySource.StartActivity("Migrating database", ActivityKind.Client);
        try
        {
            await using var scope = serviceProvider.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CallPipelineDbContext>();

            var pending = await PendingMigrationsAsync(db, stoppingToken);
            await db.Database.CreateExecutionStrategy().ExecuteAsync(() => db.Database.MigrateAsync(stoppingToken));
            logger.LogInformation("Applied {Count} pending migrations: {Migrations}", pending.Count, pending.Count == 0 ? "none" : string.Join(", ", pending));

            if (environment.IsDevelopment())
            {
                await new DemoBusinessSeeder(db, demoBusiness.Value, logger).SeedAsync(stoppingToken);
            }
        }
        catch (Exception ex)
        {
            activity?.AddException(ex);
            logger.LogCritical(ex, "Database migration failed");
            Environment.ExitCode = 1;
        }
        finally
        {
            lifetime.StopApplication();
        }
    }

    /// <summary>
    /// Creates the history table first: on a new database EF otherwise logs its failed query of that table as an
    /// error (dotnet/efcore#37328), which reads as a failed migration to an operator.
    /// </summary>
    private static async Task<List<string>> PendingMigrationsAsync(CallPipelineDbContext db, CancellationToken cancellationToken)
    {
        await db.GetService<IHistoryRepository>().CreateIfNotExistsAsync(cancellationToken);
        return [.. await db.Database.GetPendingMigrationsAsync(cancellationToken)];
    }
}
