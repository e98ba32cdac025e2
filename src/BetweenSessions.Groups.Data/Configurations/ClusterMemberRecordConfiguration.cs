using BetweenSessions.Groups.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BetweenSessions.Groups.Data.Configurations;

internal sealed class ClusterMemberRecordConfiguration : IEntityTypeConfiguration<ClusterMemberRecord>
{
    public void Configure(EntityTypeBuilder<ClusterMemberRecord> builder)
    {
        builder.ToTable("ClusterMembers");
        builder.HasKey(m => new { m.ClusterId, m.Address, m.Port, m.Generation });
        builder.Property(m => m.ClusterId).HasMaxLength(128);
        // The longest textual IPv6 address (with an IPv4 tail) is 45 characters.
        builder.Property(m => m.Address).HasMaxLength(45);
        builder.Property(m => m.HostName).HasMaxLength(256);
        builder.Property(m => m.SiloName).HasMaxLength(256);
        builder.Property(m => m.RoleName).HasMaxLength(256);
        builder.Property(m => m.ETag).HasMaxLength(32);
    }
}
