using CallPipeline.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CallPipeline.Data.Configurations;

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.Property(d => d.WebhookId).HasMaxLength(64);
        builder.HasIndex(d => d.WebhookId).IsUnique();
        builder.HasIndex(d => new { d.CallLogId, d.EventType }).IsUnique();
        builder.Property(d => d.EventType).HasMaxLength(64);
        builder.Property(d => d.TargetUrl).HasMaxLength(2048);
        builder.Property(d => d.LastError).HasMaxLength(1000);
        builder.HasIndex(d => new { d.Status, d.NextAttemptAt });
        builder.HasOne(d => d.CallLog).WithMany(c => c.WebhookDeliveries).HasForeignKey(d => d.CallLogId);
        builder.HasMany(d => d.Attempts).WithOne().HasForeignKey(a => a.WebhookDeliveryId);
        builder.HasTraceContext();
    }
}
