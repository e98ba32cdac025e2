using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BetweenSessions.Groups.Data.Migrations.SqlServer
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
                        .Annotation("SqlServer:Identity", "1, 1"),
                    At = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    ActorId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    ActorName = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: true),
                    Action = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    CircleId = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    CircleName = table.Column<string>(type: "nvarchar(80)", maxLength: 80, nullable: true),
                    SubjectId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    SubjectName = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: true),
                    Detail = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true)
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
                CREATE TRIGGER [AccessLog_append_only] ON [AccessLog] INSTEAD OF UPDATE, DELETE
                AS BEGIN THROW 51000, 'The access log is append-only.', 1; END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER [AccessLog_append_only];");
            migrationBuilder.DropTable(
                name: "AccessLog");
        }
    }
}
