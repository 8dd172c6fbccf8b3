using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CallPipeline.Data.Migrations
{
    /// <inheritdoc />
    public partial class AddTranscriptTurns : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<double>(
                name: "caller_speech_seconds",
                table: "call_logs",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "speaker_transcript",
                table: "call_logs",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "transcript_turns",
                table: "call_logs",
                type: "jsonb",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "caller_speech_seconds",
                table: "call_logs");

            migrationBuilder.DropColumn(
                name: "speaker_transcript",
                table: "call_logs");

            migrationBuilder.DropColumn(
                name: "transcript_turns",
                table: "call_logs");
        }
    }
}
