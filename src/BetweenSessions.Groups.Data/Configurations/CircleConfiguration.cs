using BetweenSessions.Groups.Data.Entities;
using BetweenSessions.Groups.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BetweenSessions.Groups.Data.Configurations;

internal sealed class CircleConfiguration : IEntityTypeConfiguration<Circle>
{
    public void Configure(EntityTypeBuilder<Circle> builder)
    {
        builder.ToTable("Circles");
        builder.HasKey(c => c.Id);
        // Ids come from grain keys, never from the database.
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.Name).HasMaxLength(Limits.CircleName).IsRequired();
        builder.Property(c => c.InviteCode).HasMaxLength(Limits.InviteCode).IsRequired();
        builder.HasIndex(c => c.InviteCode).IsUnique();
        builder.Property(c => c.Version).IsConcurrencyToken();
    }
}
