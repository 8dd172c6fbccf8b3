using CallPipeline.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace CallPipeline.Data;

public class CallPipelineDbContext(DbContextOptions<CallPipelineDbContext> options) : DbContext(options)
{
    public DbSet<Business> Businesses => Set<Business>();
    public DbSet<CallLog> CallLogs => Set<CallLog>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();
    public DbSet<WebhookAttempt> WebhookAttempts => Set<WebhookAttempt>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<DeadLetter> DeadLetters => Set<DeadLetter>();
    public DbSet<RecordingChunk> RecordingChunks => Set<RecordingChunk>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Enums are stored as readable snake_case text so operators can query them in psql.
        configurationBuilder.Properties<CallDirection>().HaveConversion<SnakeCaseEnumConverter<CallDirection>>().HaveMaxLength(16);
        configurationBuilder.Properties<PipelineStatus>().HaveConversion<SnakeCaseEnumConverter<PipelineStatus>>().HaveMaxLength(32);
        configurationBuilder.Properties<TranscriptSource>().HaveConversion<SnakeCaseEnumConverter<TranscriptSource>>().HaveMaxLength(16);
        configurationBuilder.Properties<DeadLetterKind>().HaveConversion<SnakeCaseEnumConverter<DeadLetterKind>>().HaveMaxLength(32);
        configurationBuilder.Properties<WebhookDeliveryStatus>().HaveConversion<SnakeCaseEnumConverter<WebhookDeliveryStatus>>().HaveMaxLength(16);
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(CallPipelineDbContext).Assembly);
}
