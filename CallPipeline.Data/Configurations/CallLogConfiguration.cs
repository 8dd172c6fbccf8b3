using CallPipeline.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace CallPipeline.Data.Configurations;

internal sealed class CallLogConfiguration : IEntityTypeConfiguration<CallLog>
{
    public void Configure(EntityTypeBuilder<CallLog> builder)
    {
        builder.Property(c => c.CallSid).HasMaxLength(64);
        builder.HasIndex(c => c.CallSid).IsUnique();
        builder.Property(c => c.ParentCallSid).HasMaxLength(64);
        builder.HasOne(c => c.Business).WithMany().HasForeignKey(c => c.BusinessId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(c => c.TwilioDirection).HasMaxLength(32);
        builder.Property(c => c.FromNumber).HasMaxLength(64);
        builder.Property(c => c.ToNumber).HasMaxLength(64);
        builder.Property(c => c.CallStatus).HasMaxLength(32);
        builder.Property(c => c.MediaStreamSid).HasMaxLength(64);
        builder.Property(c => c.LocalRecordingPath).HasMaxLength(1024);
        builder.Property(c => c.RecordingSid).HasMaxLength(64);
        builder.HasIndex(c => c.RecordingSid).IsUnique();
        builder.Property(c => c.RecordingUrl).HasMaxLength(1024);
        builder.Property(c => c.RecordingStatus).HasMaxLength(32);
        builder.Property(c => c.RecordingErrorCode).HasMaxLength(16);
        builder.Property(c => c.ExtractedCity).HasMaxLength(255);
        builder.Property(c => c.ExtractedService).HasMaxLength(255);
        builder.Property(c => c.CustomerName).HasMaxLength(255);
        builder.Property(c => c.StepTimings).HasColumnType("jsonb");
        builder.Property(c => c.TranscriptTurns)
            .HasConversion((ValueConverter)new TranscriptTurnsConverter(), TranscriptTurnsConverter.Comparer)
            .HasColumnType("jsonb");
        builder.Property(c => c.ErrorReason).HasMaxLength(2000);
        builder.Property(c => c.ProcessingOwner).HasMaxLength(256);
        builder.Property(c => c.RecordingErasedBy).HasMaxLength(16);
        builder.Property(c => c.TextErasedBy).HasMaxLength(16);
        builder.HasIndex(c => c.StartedAt);
        builder.HasIndex(c => new { c.PipelineStatus, c.RecordingStatus });
        builder.HasTraceContext();
    }
}
