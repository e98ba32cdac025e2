using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BetweenSessions.Groups.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class UnboundedPayload : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {

        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {

        }
    }
}
