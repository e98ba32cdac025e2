using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BetweenSessions.Groups.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class FacilitatorDashboard : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "ArchivedAt",
                table: "Circles",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "FacilitationJson",
                table: "Circles",
                type: "TEXT",
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
