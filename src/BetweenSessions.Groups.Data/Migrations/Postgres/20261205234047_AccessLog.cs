using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace BetweenSessions.Groups.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AccessLog : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AccessLog",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ActorId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ActorName = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    Action = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    CircleId = table.Column<Guid>(type: "uuid", nullable: true),
                    CircleName = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: true),
                    SubjectId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    SubjectName = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    Detail = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AccessLog", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AccessLog_ActorId_Action_Id",
                table: "AccessLog",
                columns: new[] { "ActorId", "Action", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_AccessLog_CircleId_Id",
                table: "AccessLog",
                columns: new[] { "CircleId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_AccessLog_SubjectId_Id",
                table: "AccessLog",
                columns: new[] { "SubjectId", "Id" });

            // Append-only in the database itself, whatever code or person holds the connection (docs/security.md).
            // TRUNCATE skips row triggers, so it has a statement trigger of its own.
            migrationBuilder.Sql("""
                CREATE FUNCTION access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'The access log is append-only.'; END $$;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "AccessLog_append_only" BEFORE UPDATE OR DELETE ON "AccessLog"
                FOR EACH ROW EXECUTE FUNCTION access_log_append_only();
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "AccessLog_no_truncate" BEFORE TRUNCATE ON "AccessLog"
                FOR EACH STATEMENT EXECUTE FUNCTION access_log_append_only();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER "AccessLog_no_truncate" ON "AccessLog";""");
            migrationBuilder.Sql("""DROP TRIGGER "AccessLog_append_only" ON "AccessLog";""");
            migrationBuilder.Sql("DROP FUNCTION access_log_append_only();");
            migrationBuilder.DropTable(
                name: "AccessLog");
        }
    }
}
