using BetweenSessions.Groups.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BetweenSessions.Groups.Data.Configurations;

internal sealed class LegacyReminderRecordConfiguration : IEntityTypeConfiguration<LegacyReminderRecord>
{
    public void Configure(EntityTypeBuilder<LegacyReminderRecord> builder)
    {
        builder.ToTable("LegacyReminders");
        builder.HasKey(r => new { r.GrainType, r.GrainKey, r.Name });
        // Bounded so the composite key fits SQL Server's 900-byte index key limit.
        builder.Property(r => r.GrainType).HasMaxLength(128);
        builder.Property(r => r.GrainKey).HasMaxLength(128);
        builder.Property(r => r.Name).HasMaxLength(128);
        builder.Property(r => r.ETag).HasMaxLength(32);
        builder.HasIndex(r => r.NextDue);
    }
}
