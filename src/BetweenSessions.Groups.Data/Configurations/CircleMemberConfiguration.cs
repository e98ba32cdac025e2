using BetweenSessions.Groups.Data.Entities;
using BetweenSessions.Groups.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BetweenSessions.Groups.Data.Configurations;

internal sealed class CircleMemberConfiguration : IEntityTypeConfiguration<CircleMember>
{
    public void Configure(EntityTypeBuilder<CircleMember> builder)
    {
        builder.ToTable("CircleMembers");
        builder.HasKey(m => new { m.CircleId, m.MemberId });
        // No foreign key to AspNetUsers: circles are owned by grains, accounts by Identity, and neither waits on the other.
        builder.Property(m => m.MemberId).HasMaxLength(Limits.MemberId);
        builder.Property(m => m.DisplayName).HasMaxLength(Limits.DisplayName).IsRequired();
        builder.HasIndex(m => m.MemberId);
        builder.HasOne<Circle>().WithMany(c => c.Members).HasForeignKey(m => m.CircleId).OnDelete(DeleteBehavior.Cascade);
    }
}
