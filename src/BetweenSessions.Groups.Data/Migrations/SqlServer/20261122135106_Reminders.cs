using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BetweenSessions.Groups.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class Reminders : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Reminders",
                columns: table => new
                {
                    GrainType = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: false),
                    GrainKey = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: false),
                    Name = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: false),
                    FirstTick = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    PeriodMs = table.Column<long>(type: "bigint", nullable: false),
                    NextDue = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    ETag = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Reminders", x => new { x.GrainType, x.GrainKey, x.Name });
                });

            migrationBuilder.CreateIndex(
                name: "IX_Reminders_NextDue",
                table: "Reminders",
                column: "NextDue");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Reminders");
        }
    }
}
