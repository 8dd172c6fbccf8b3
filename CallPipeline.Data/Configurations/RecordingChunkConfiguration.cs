using CallPipeline.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CallPipeline.Data.Configurations;

internal sealed class RecordingChunkConfiguration : IEntityTypeConfiguration<RecordingChunk>
{
    public void Configure(EntityTypeBuilder<RecordingChunk> builder)
    {
        builder.HasKey(c => new { c.CallLogId, c.Sequence });
        builder.HasOne<CallLog>().WithMany().HasForeignKey(c => c.CallLogId).OnDelete(DeleteBehavior.Cascade);
    }
}
