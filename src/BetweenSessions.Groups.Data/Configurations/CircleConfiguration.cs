using BetweenSessions.Groups.Data.Entities;
using BetweenSessions.Groups.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BetweenSessions.Groups.Data.Configurations;

/// <param name="quote">Delimits a column name in the provider's SQL, for the check constraint.</param>
internal sealed class CircleConfiguration(Func<string, string> quote) : IEntityTypeConfiguration<Circle>
{
    public void Configure(EntityTypeBuilder<Circle> builder)
    {
        builder.ToTable("Circles", table =>
        {
            // An open round is all of its columns or none of them.
            string[] round =
            [
                quote(nameof(Circle.OpenRoundId)), quote(nameof(Circle.OpenRoundPrompt)),
                quote(nameof(Circle.OpenRoundStartedAt)), quote(nameof(Circle.OpenRoundStartedBy)),
            ];
            table.HasCheckConstraint("CK_Circles_OpenRound",
                $"({string.Join(" AND ", round.Select(c => c + " IS NULL"))}) OR ({string.Join(" AND ", round.Select(c => c + " IS NOT NULL"))})");
        });
        builder.HasKey(c => c.Id);
        // Ids come from grain keys, never from the database.
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.Name).HasMaxLength(Limits.CircleName).IsRequired();
        builder.Property(c => c.InviteCode).HasMaxLength(Limits.InviteCode).IsRequired();
        builder.HasIndex(c => c.InviteCode).IsUnique();
        builder.Property(c => c.Version).IsConcurrencyToken();
        builder.Property(c => c.OpenRoundPrompt).HasMaxLength(Limits.RoundPrompt);
        builder.Property(c => c.OpenRoundStartedBy).HasMaxLength(Limits.MemberId);
    }
}
