using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CallPipeline.Data.Migrations
{
    /// <inheritdoc />
    public partial class StoredFallbackRecording : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "stored_recording_bytes",
                table: "call_logs",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "recording_chunks",
                columns: table => new
                {
                    call_log_id = table.Column<long>(type: "bigint", nullable: false),
                    sequence = table.Column<int>(type: "integer", nullable: false),
                    data = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_recording_chunks", x => new { x.call_log_id, x.sequence });
                    table.ForeignKey(
                        name: "fk_recording_chunks_call_logs_call_log_id",
                        column: x => x.call_log_id,
                        principalTable: "call_logs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "recording_chunks");

            migrationBuilder.DropColumn(
                name: "stored_recording_bytes",
                table: "call_logs");
        }
    }
}
