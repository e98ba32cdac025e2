using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BetweenSessions.Groups.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class RealtimeContract : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "OpenRoundId",
                table: "Circles",
                type: "uniqueidentifier",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "OpenRoundPrompt",
                table: "Circles",
                type: "nvarchar(280)",
                maxLength: 280,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "OpenRoundStartedAt",
                table: "Circles",
                type: "datetimeoffset",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "OpenRoundStartedBy",
                table: "Circles",
                type: "nvarchar(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SubjectMemberId",
                table: "CircleEvents",
                type: "nvarchar(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddCheckConstraint(
                name: "CK_Circles_OpenRound",
                table: "Circles",
                sql: "([OpenRoundId] IS NULL AND [OpenRoundPrompt] IS NULL AND [OpenRoundStartedAt] IS NULL AND [OpenRoundStartedBy] IS NULL) OR ([OpenRoundId] IS NOT NULL AND [OpenRoundPrompt] IS NOT NULL AND [OpenRoundStartedAt] IS NOT NULL AND [OpenRoundStartedBy] IS NOT NULL)");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "CK_Circles_OpenRound",
                table: "Circles");

            migrationBuilder.DropColumn(
                name: "OpenRoundId",
                table: "Circles");

            migrationBuilder.DropColumn(
                name: "OpenRoundPrompt",
                table: "Circles");

            migrationBuilder.DropColumn(
                name: "OpenRoundStartedAt",
                table: "Circles");

            migrationBuilder.DropColumn(
                name: "OpenRoundStartedBy",
                table: "Circles");

            migrationBuilder.DropColumn(
                name: "SubjectMemberId",
                table: "CircleEvents");
        }
    }
}
