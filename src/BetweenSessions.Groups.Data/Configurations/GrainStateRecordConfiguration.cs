using BetweenSessions.Groups.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BetweenSessions.Groups.Data.Configurations;

internal sealed class GrainStateRecordConfiguration : IEntityTypeConfiguration<GrainStateRecord>
{
    public void Configure(EntityTypeBuilder<GrainStateRecord> builder)
    {
        builder.ToTable("GrainState");
        builder.HasKey(g => new { g.StateName, g.GrainType, g.GrainKey });
        // Bounded so the composite key fits SQL Server's 900-byte index key limit.
        builder.Property(g => g.StateName).HasMaxLength(64);
        builder.Property(g => g.GrainType).HasMaxLength(128);
        builder.Property(g => g.GrainKey).HasMaxLength(128);
        builder.Property(g => g.Version).IsConcurrencyToken();
    }
}
