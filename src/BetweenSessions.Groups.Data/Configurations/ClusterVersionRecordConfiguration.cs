using BetweenSessions.Groups.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BetweenSessions.Groups.Data.Configurations;

internal sealed class ClusterVersionRecordConfiguration : IEntityTypeConfiguration<ClusterVersionRecord>
{
    public void Configure(EntityTypeBuilder<ClusterVersionRecord> builder)
    {
        builder.ToTable("ClusterVersions");
        builder.HasKey(v => v.ClusterId);
        builder.Property(v => v.ClusterId).HasMaxLength(128);
        builder.Property(v => v.ETag).HasMaxLength(32);
    }
}
