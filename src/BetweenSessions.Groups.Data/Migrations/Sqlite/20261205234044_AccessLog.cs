using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BetweenSessions.Groups.Data.Migrations.Sqlite
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    ActorId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ActorName = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    Action = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    CircleId = table.Column<Guid>(type: "TEXT", nullable: true),
                    CircleName = table.Column<string>(type: "TEXT", maxLength: 80, nullable: true),
                    SubjectId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    SubjectName = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    Detail = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true)
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
            migrationBuilder.Sql("""
                CREATE TRIGGER "AccessLog_no_update" BEFORE UPDATE ON "AccessLog"
                BEGIN SELECT RAISE(ABORT, 'The access log is append-only.'); END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "AccessLog_no_delete" BEFORE DELETE ON "AccessLog"
                BEGIN SELECT RAISE(ABORT, 'The access log is append-only.'); END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER "AccessLog_no_delete";""");
            migrationBuilder.Sql("""DROP TRIGGER "AccessLog_no_update";""");
            migrationBuilder.DropTable(
                name: "AccessLog");
        }
    }
}
