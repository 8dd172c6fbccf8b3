using CallPipeline.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CallPipeline.Data.Configurations;

internal sealed class DeadLetterConfiguration : IEntityTypeConfiguration<DeadLetter>
{
    public void Configure(EntityTypeBuilder<DeadLetter> builder)
    {
        builder.Property(d => d.CallSid).HasMaxLength(64);
        builder.Property(d => d.RecordingSid).HasMaxLength(64);
        builder.Property(d => d.StreamEntryId).HasMaxLength(64);
        builder.Property(d => d.Reason).HasMaxLength(2000);
        builder.HasOne<CallLog>().WithMany().HasForeignKey(d => d.CallLogId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(d => d.WebhookDelivery).WithMany().HasForeignKey(d => d.WebhookDeliveryId).OnDelete(DeleteBehavior.Cascade);
        // The conflict targets of DeadLetters' upserts: one row per call's job, one per delivery.
        builder.HasIndex(d => d.CallLogId).IsUnique().HasFilter("kind = 'recording_job'");
        builder.HasIndex(d => d.WebhookDeliveryId).IsUnique().HasFilter("webhook_delivery_id IS NOT NULL");
        builder.HasIndex(d => new { d.BusinessId, d.LastFailedAt });
        builder.HasIndex(d => d.LastFailedAt);
    }
}
