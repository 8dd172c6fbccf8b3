using CallPipeline.Data;
using Microsoft.EntityFrameworkCore;

namespace CallPipeline.Tests.Data;

/// <summary>
/// The original system hit UndefinedColumn in production because columns were added to the ORM without a migration.
/// Here the model and the migrations cannot drift apart unnoticed.
/// </summary>
public sealed class MigrationCoverageTests
{
    [Fact]
    public void Every_model_change_is_in_a_migration()
    {
        var options = new DbContextOptionsBuilder<CallPipelineDbContext>().UseNpgsql("Host=unused");
        options.UseCallPipelineConventions();
        using var db = new CallPipelineDbContext(options.Options);

        Assert.False(db.Database.HasPendingModelChanges(), "The model has changes that no migration carries: add one (see CallPipeline.Data).");
    }
}
