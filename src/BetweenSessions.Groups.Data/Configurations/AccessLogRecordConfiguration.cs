using BetweenSessions.Groups.Data.Entities;
using BetweenSessions.Groups.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BetweenSessions.Groups.Data.Configurations;

internal sealed class AccessLogRecordConfiguration : IEntityTypeConfiguration<AccessLogRecord>
{
    public const string Table = "AccessLog";
    public const int DetailLength = 200;

    public void Configure(EntityTypeBuilder<AccessLogRecord> builder)
    {
        builder.ToTable(Table);
        // The id is the order of writing on every provider (instants are not orderable in SQLite through the converter).
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedOnAdd();
        builder.Property(e => e.ActorId).HasMaxLength(Limits.MemberId).IsRequired();
        builder.Property(e => e.ActorName).HasMaxLength(Limits.DisplayName);
        builder.Property(e => e.Action).HasMaxLength(Limits.EventType).IsRequired();
        builder.Property(e => e.CircleName).HasMaxLength(Limits.CircleName);
        builder.Property(e => e.SubjectId).HasMaxLength(Limits.MemberId);
        builder.Property(e => e.SubjectName).HasMaxLength(Limits.DisplayName);
        builder.Property(e => e.Detail).HasMaxLength(DetailLength);
        // The three reads: about a person, a circle's, a person's own sign-ins. No foreign keys: the log outlives the
        // circles and accounts it names.
        builder.HasIndex(e => new { e.SubjectId, e.Id });
        builder.HasIndex(e => new { e.CircleId, e.Id });
        builder.HasIndex(e => new { e.ActorId, e.Action, e.Id });
    }
}
