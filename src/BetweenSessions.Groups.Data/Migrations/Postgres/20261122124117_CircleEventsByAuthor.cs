using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BetweenSessions.Groups.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class CircleEventsByAuthor : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Tombstones written before this release still named their author; from now on a tombstone names nobody.
            // Their client ids go too: the digest that later tombstones keep cannot be computed here.
            migrationBuilder.Sql("UPDATE \"CircleEvents\" SET \"MemberId\" = '', \"SubjectMemberId\" = NULL, \"ClientEventId\" = NULL WHERE \"Type\" = 'removed';");

            migrationBuilder.CreateIndex(
                name: "IX_CircleEvents_MemberId_CircleId",
                table: "CircleEvents",
                columns: new[] { "MemberId", "CircleId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_CircleEvents_MemberId_CircleId",
                table: "CircleEvents");
        }
    }
}
