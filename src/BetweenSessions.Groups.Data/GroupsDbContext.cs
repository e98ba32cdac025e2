using BetweenSessions.Groups.Data.Configurations;
using BetweenSessions.Groups.Data.Entities;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace BetweenSessions.Groups.Data;

/// <summary>
/// Accounts (Identity), circles, their event logs, the access log, grain state, reminders, cluster membership, Web Push subscriptions and the data-protection
/// key ring (shared by every host, so a cookie or token one host protects another can read). Abstract because each database provider has its
/// own derived context and migrations (see Providers/); the rest of the app only ever sees this type.
/// </summary>
public abstract class GroupsDbContext(DbContextOptions options) : IdentityDbContext<GroupsUser>(options), IDataProtectionKeyContext
{
    public DbSet<Circle> Circles => Set<Circle>();
    public DbSet<CircleMember> CircleMembers => Set<CircleMember>();
    public DbSet<CircleEventRecord> CircleEvents => Set<CircleEventRecord>();
    public DbSet<GrainStateRecord> GrainState => Set<GrainStateRecord>();
    public DbSet<ReminderRecord> Reminders => Set<ReminderRecord>();
    public DbSet<LegacyReminderRecord> LegacyReminders => Set<LegacyReminderRecord>();
    public DbSet<ClusterVersionRecord> ClusterVersions => Set<ClusterVersionRecord>();
    public DbSet<ClusterMemberRecord> ClusterMembers => Set<ClusterMemberRecord>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<AccessLogRecord> AccessLog => Set<AccessLogRecord>();
    public DbSet<PushSubscriptionRecord> PushSubscriptions => Set<PushSubscriptionRecord>();
    public DbSet<PushVapidKeyRecord> PushVapidKeys => Set<PushVapidKeyRecord>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        KeepIdentityColumnsOfVersion1(builder);
        var sql = this.GetService<ISqlGenerationHelper>();
        builder.ApplyConfiguration(new GroupsUserConfiguration());
        builder.ApplyConfiguration(new CircleConfiguration(sql.DelimitIdentifier));
        builder.ApplyConfiguration(new CircleMemberConfiguration());
        builder.ApplyConfiguration(new CircleEventRecordConfiguration(sql.DelimitIdentifier));
        builder.ApplyConfiguration(new GrainStateRecordConfiguration());
        builder.ApplyConfiguration(new ReminderRecordConfiguration());
        builder.ApplyConfiguration(new LegacyReminderRecordConfiguration());
        builder.ApplyConfiguration(new ClusterVersionRecordConfiguration());
        builder.ApplyConfiguration(new ClusterMemberRecordConfiguration());
        builder.ApplyConfiguration(new AccessLogRecordConfiguration());
        builder.ApplyConfiguration(new PushSubscriptionRecordConfiguration());
        builder.ApplyConfiguration(new PushVapidKeyRecordConfiguration());
    }

    /// <summary>
    /// Identity's version 3 schema (IdentitySchema) brings the passkeys table, and with it version 2's narrower columns:
    /// a phone number of at most 256 characters and login and token keys of at most 128. The tables were made with
    /// version 1, and narrowing a primary key's column means rebuilding the key on SQL Server, for nothing this app
    /// stores (no phone numbers, no external logins, tokens with short names). So the existing columns stay as they are.
    /// </summary>
    private static void KeepIdentityColumnsOfVersion1(ModelBuilder builder)
    {
        builder.Entity<GroupsUser>().Property(u => u.PhoneNumber).Metadata.SetMaxLength(null);
        builder.Entity<IdentityUserLogin<string>>(b =>
        {
            b.Property(l => l.LoginProvider).Metadata.SetMaxLength(null);
            b.Property(l => l.ProviderKey).Metadata.SetMaxLength(null);
        });
        builder.Entity<IdentityUserToken<string>>(b =>
        {
            b.Property(t => t.LoginProvider).Metadata.SetMaxLength(null);
            b.Property(t => t.Name).Metadata.SetMaxLength(null);
        });
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder builder)
    {
        // Instants are stored in UTC everywhere (PostgreSQL's timestamptz accepts nothing else).
        builder.Properties<DateTimeOffset>().HaveConversion<UtcConverter>();
    }

    private sealed class UtcConverter() : ValueConverter<DateTimeOffset, DateTimeOffset>(v => v.ToUniversalTime(), v => v);
}
