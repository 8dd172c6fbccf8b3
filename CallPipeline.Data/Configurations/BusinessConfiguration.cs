using CallPipeline.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CallPipeline.Data.Configurations;

internal sealed class BusinessConfiguration : IEntityTypeConfiguration<Business>
{
    public void Configure(EntityTypeBuilder<Business> builder)
    {
        builder.Property(b => b.Name).HasMaxLength(200);
        builder.Property(b => b.Kind).HasMaxLength(100);
        builder.Property(b => b.PhoneE164).HasMaxLength(20);
        // A deactivated business keeps its numbers for the record; only an active one routes calls, so only active ones must differ.
        builder.HasIndex(b => b.PhoneE164).IsUnique().HasFilter("is_active");
        // The default fills existing rows and rows inserted by hand in psql.
        builder.Property(b => b.AdditionalPhoneNumbers).HasDefaultValueSql("'{}'");
        builder.HasIndex(b => b.AdditionalPhoneNumbers).HasMethod("gin");
        builder.Property(b => b.Region).HasMaxLength(2);
        builder.Property(b => b.Language).HasMaxLength(8);
        builder.Property(b => b.InboundWebhookUrl).HasMaxLength(2048);
        builder.Property(b => b.OutboundWebhookUrl).HasMaxLength(2048);
        builder.Property(b => b.GenericWebhookUrl).HasMaxLength(2048);
        builder.Property(b => b.WebhookSecret).HasMaxLength(200);
        builder.Property(b => b.PreviousWebhookSecret).HasMaxLength(200);
        builder.Property(b => b.RecordingRetentionDays).HasDefaultValue(Business.DefaultRecordingRetentionDays);
    }
}
