using BetweenSessions.Groups.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BetweenSessions.Groups.Data.Configurations;

internal sealed class ReminderRecordConfiguration : IEntityTypeConfiguration<ReminderRecord>
{
    public void Configure(EntityTypeBuilder<ReminderRecord> builder)
    {
        builder.ToTable("Reminders");
        builder.HasKey(r => new { r.GrainId, r.Name });
        // Bounded so the composite key fits SQL Server's 900-byte index key limit.
        builder.Property(r => r.GrainId).HasMaxLength(256);
        builder.Property(r => r.Name).HasMaxLength(128);
        builder.Property(r => r.ETag).HasMaxLength(32);
        // Each silo asks for the reminders in its range of the hash ring.
        builder.HasIndex(r => r.GrainHash);
    }
}
