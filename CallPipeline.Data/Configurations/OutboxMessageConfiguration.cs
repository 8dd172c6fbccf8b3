using CallPipeline.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CallPipeline.Data.Configurations;

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> builder)
    {
        builder.Property(m => m.Topic).HasMaxLength(64);
        builder.Property(m => m.MessageKey).HasMaxLength(128);
        builder.HasIndex(m => new { m.Topic, m.MessageKey }).IsUnique();
        builder.Property(m => m.Payload).HasColumnType("jsonb");
        builder.Property(m => m.LastError).HasMaxLength(1000);
        // The relay scans only what is still unpublished.
        builder.HasIndex(m => m.CreatedAt).HasFilter("published_at IS NULL");
        builder.HasTraceContext();
    }
}
