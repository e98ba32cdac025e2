using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BetweenSessions.Groups.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class FacilitatorDashboard : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ArchivedAt",
                table: "Circles",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "FacilitationJson",
                table: "Circles",
                type: "text",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ArchivedAt",
                table: "Circles");

            migrationBuilder.DropColumn(
                name: "FacilitationJson",
                table: "Circles");
        }
    }
}
