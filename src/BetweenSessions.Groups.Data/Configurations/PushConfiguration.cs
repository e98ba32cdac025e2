using BetweenSessions.Groups.Data.Entities;
using BetweenSessions.Groups.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BetweenSessions.Groups.Data.Configurations;

internal sealed class PushSubscriptionRecordConfiguration : IEntityTypeConfiguration<PushSubscriptionRecord>
{
    public void Configure(EntityTypeBuilder<PushSubscriptionRecord> builder)
    {
        builder.ToTable("PushSubscriptions");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedOnAdd();
        // No foreign key to AspNetUsers, as elsewhere; account deletion removes them explicitly.
        builder.Property(s => s.UserId).HasMaxLength(Limits.MemberId).IsRequired();
        // Within SQL Server's 1,700-byte index key, and well above the endpoints push services hand out (about 200-500).
        builder.Property(s => s.Endpoint).HasMaxLength(Limits.PushEndpoint).IsRequired();
        builder.Property(s => s.P256dh).HasMaxLength(100).IsRequired();
        builder.Property(s => s.Auth).HasMaxLength(40).IsRequired();
        builder.Property(s => s.DeviceId).HasMaxLength(64).IsRequired();
        builder.HasIndex(s => s.Endpoint).IsUnique();
        builder.HasIndex(s => new { s.UserId, s.DeviceId });
    }
}

internal sealed class PushVapidKeyRecordConfiguration : IEntityTypeConfiguration<PushVapidKeyRecord>
{
    public void Configure(EntityTypeBuilder<PushVapidKeyRecord> builder)
    {
        builder.ToTable("PushVapidKeys");
        builder.HasKey(k => k.Id);
        // Chosen by the app (always 1), so two hosts starting at once collide on the key instead of making two pairs.
        builder.Property(k => k.Id).ValueGeneratedNever();
        builder.Property(k => k.PublicKey).HasMaxLength(100).IsRequired();
        builder.Property(k => k.ProtectedPrivateKey).HasMaxLength(2000).IsRequired();
    }
}
