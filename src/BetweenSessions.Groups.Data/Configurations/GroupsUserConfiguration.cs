using BetweenSessions.Groups.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BetweenSessions.Groups.Data.Configurations;

internal sealed class GroupsUserConfiguration : IEntityTypeConfiguration<GroupsUser>
{
    public void Configure(EntityTypeBuilder<GroupsUser> builder) =>
        builder.Property(u => u.DisplayName).HasMaxLength(Limits.DisplayName);
}
