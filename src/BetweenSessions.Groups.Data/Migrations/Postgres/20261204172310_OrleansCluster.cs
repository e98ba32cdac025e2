using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace BetweenSessions.Groups.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class OrleansCluster : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The home-made runtime's reminders are kept, not dropped: copied to LegacyReminders (same shape), from where
            // LegacyReminderMove moves them into the new table at start-up (it needs each grain's Orleans hash, computed in C#).
            migrationBuilder.CreateTable(
                name: "LegacyReminders",
                columns: table => new
                {
                    GrainType = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    GrainKey = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Name = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    FirstTick = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    PeriodMs = table.Column<long>(type: "bigint", nullable: false),
                    NextDue = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ETag = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LegacyReminders", x => new { x.GrainType, x.GrainKey, x.Name });
                });

            migrationBuilder.CreateIndex(
                name: "IX_LegacyReminders_NextDue",
                table: "LegacyReminders",
                column: "NextDue");

            migrationBuilder.Sql(
                """
                INSERT INTO "LegacyReminders" ("GrainType", "GrainKey", "Name", "FirstTick", "PeriodMs", "NextDue", "ETag")
                SELECT "GrainType", "GrainKey", "Name", "FirstTick", "PeriodMs", "NextDue", "ETag" FROM "Reminders";
                """);

            migrationBuilder.DropTable(
                name: "Reminders");

            migrationBuilder.CreateTable(
                name: "Reminders",
                columns: table => new
                {
                    GrainId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    GrainHash = table.Column<long>(type: "bigint", nullable: false),
                    Name = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    StartAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    PeriodMs = table.Column<long>(type: "bigint", nullable: false),
                    ETag = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Reminders", x => new { x.GrainId, x.Name });
                });

            migrationBuilder.CreateIndex(
                name: "IX_Reminders_GrainHash",
                table: "Reminders",
                column: "GrainHash");

            // Grain state rows take Orleans' grain ids: the [GrainType] names instead of the class names, and Guid keys in
            // "N" format (32 lowercase hex digits, as Orleans writes them) for the Guid-keyed circle and commitment grains.
            // StateName stays the class name: the grains name their [PersistentState] so.
            migrationBuilder.Sql(
                """
                UPDATE "GrainState" SET "GrainType" = 'circle', "GrainKey" = lower(replace("GrainKey", '-', '')) WHERE "GrainType" = 'CircleGrain';
                UPDATE "GrainState" SET "GrainType" = 'commitment', "GrainKey" = lower(replace("GrainKey", '-', '')) WHERE "GrainType" = 'CommitmentGrain';
                UPDATE "GrainState" SET "GrainType" = 'cuereminder' WHERE "GrainType" = 'CueReminderGrain';
                UPDATE "GrainState" SET "GrainType" = 'membersettings' WHERE "GrainType" = 'MemberSettingsGrain';
                UPDATE "GrainState" SET "GrainType" = 'nudge' WHERE "GrainType" = 'NudgeGrain';
                UPDATE "GrainState" SET "GrainType" = 'emailoutbox' WHERE "GrainType" = 'EmailOutboxGrain';
                """);

            migrationBuilder.CreateTable(
                name: "ClusterMembers",
                columns: table => new
                {
                    ClusterId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Address = table.Column<string>(type: "character varying(45)", maxLength: 45, nullable: false),
                    Port = table.Column<int>(type: "integer", nullable: false),
                    Generation = table.Column<int>(type: "integer", nullable: false),
                    HostName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    ProxyPort = table.Column<int>(type: "integer", nullable: false),
                    SiloName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    RoleName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    UpdateZone = table.Column<int>(type: "integer", nullable: false),
                    FaultZone = table.Column<int>(type: "integer", nullable: false),
                    SuspectTimes = table.Column<string>(type: "text", nullable: true),
                    StartTime = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    IAmAliveTime = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ETag = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ClusterMembers", x => new { x.ClusterId, x.Address, x.Port, x.Generation });
                });

            migrationBuilder.CreateTable(
                name: "ClusterVersions",
                columns: table => new
                {
                    ClusterId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    ETag = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ClusterVersions", x => x.ClusterId);
                });

            migrationBuilder.CreateTable(
                name: "DataProtectionKeys",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    FriendlyName = table.Column<string>(type: "text", nullable: true),
                    Xml = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DataProtectionKeys", x => x.Id);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ClusterMembers");

            migrationBuilder.DropTable(
                name: "ClusterVersions");

            migrationBuilder.DropTable(
                name: "DataProtectionKeys");

            migrationBuilder.Sql(
                """
                UPDATE "GrainState" SET "GrainType" = 'CircleGrain', "GrainKey" = substr("GrainKey", 1, 8) || '-' || substr("GrainKey", 9, 4) || '-' || substr("GrainKey", 13, 4) || '-' || substr("GrainKey", 17, 4) || '-' || substr("GrainKey", 21, 12) WHERE "GrainType" = 'circle';
                UPDATE "GrainState" SET "GrainType" = 'CommitmentGrain', "GrainKey" = substr("GrainKey", 1, 8) || '-' || substr("GrainKey", 9, 4) || '-' || substr("GrainKey", 13, 4) || '-' || substr("GrainKey", 17, 4) || '-' || substr("GrainKey", 21, 12) WHERE "GrainType" = 'commitment';
                UPDATE "GrainState" SET "GrainType" = 'CueReminderGrain' WHERE "GrainType" = 'cuereminder';
                UPDATE "GrainState" SET "GrainType" = 'MemberSettingsGrain' WHERE "GrainType" = 'membersettings';
                UPDATE "GrainState" SET "GrainType" = 'NudgeGrain' WHERE "GrainType" = 'nudge';
                UPDATE "GrainState" SET "GrainType" = 'EmailOutboxGrain' WHERE "GrainType" = 'emailoutbox';
                """);

            // Orleans' reminders have no home-made counterpart (their grain ids and periods differ): a downgrade keeps only
            // the legacy reminders not yet moved.
            migrationBuilder.DropTable(
                name: "Reminders");

            migrationBuilder.CreateTable(
                name: "Reminders",
                columns: table => new
                {
                    GrainType = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    GrainKey = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Name = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    FirstTick = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    PeriodMs = table.Column<long>(type: "bigint", nullable: false),
                    NextDue = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ETag = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Reminders", x => new { x.GrainType, x.GrainKey, x.Name });
                });

            migrationBuilder.CreateIndex(
                name: "IX_Reminders_NextDue",
                table: "Reminders",
                column: "NextDue");

            migrationBuilder.Sql(
                """
                INSERT INTO "Reminders" ("GrainType", "GrainKey", "Name", "FirstTick", "PeriodMs", "NextDue", "ETag")
                SELECT "GrainType", "GrainKey", "Name", "FirstTick", "PeriodMs", "NextDue", "ETag" FROM "LegacyReminders";
                """);

            migrationBuilder.DropTable(
                name: "LegacyReminders");
        }
    }
}
