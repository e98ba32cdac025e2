using BetweenSessions.Groups.Data.Entities;
using BetweenSessions.Groups.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BetweenSessions.Groups.Data.Configurations;

/// <param name="quote">Delimits a column name in the provider's SQL, for the index filter.</param>
internal sealed class CircleEventRecordConfiguration(Func<string, string> quote) : IEntityTypeConfiguration<CircleEventRecord>
{
    public void Configure(EntityTypeBuilder<CircleEventRecord> builder)
    {
        builder.ToTable("CircleEvents");
        // Seq is unique per circle and the key serves the one hot read: a circle's events after a seq, in order.
        builder.HasKey(e => new { e.CircleId, e.Seq });
        builder.Property(e => e.Seq).ValueGeneratedNever();
        builder.HasIndex(e => e.EventId).IsUnique();
        builder.Property(e => e.Type).HasMaxLength(Limits.EventType).IsRequired();
        builder.Property(e => e.MemberId).HasMaxLength(Limits.MemberId).IsRequired();
        builder.Property(e => e.DisplayName).HasMaxLength(Limits.DisplayName).IsRequired();
        builder.Property(e => e.ClientEventId).HasMaxLength(Limits.ClientEventId);
        // Unbounded on purpose: every text in a payload is bounded when it is written (Limits), but JSON escaping
        // can make the stored form several times longer (an emoji is twelve characters), so a column limit would
        // refuse entries that were valid.
        builder.Property(e => e.PayloadJson).IsRequired();
        builder.Property(e => e.SubjectMemberId).HasMaxLength(Limits.MemberId);
        // A resent check-in is found by its client id; events without one are not constrained.
        builder.HasIndex(e => new { e.CircleId, e.MemberId, e.ClientEventId })
            .IsUnique()
            .HasFilter($"{quote(nameof(CircleEventRecord.ClientEventId))} IS NOT NULL");
        // A member's own export and the erase of what they wrote look rows up by author, across circles or in one.
        builder.HasIndex(e => new { e.MemberId, e.CircleId });
        builder.HasOne<Circle>().WithMany().HasForeignKey(e => e.CircleId).OnDelete(DeleteBehavior.Cascade);
    }
}
