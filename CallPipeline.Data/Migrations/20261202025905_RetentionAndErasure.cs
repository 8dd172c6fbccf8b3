using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CallPipeline.Data.Migrations
{
    /// <inheritdoc />
    public partial class RetentionAndErasure : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "erasure_requested_at",
                table: "call_logs",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "recording_erased_at",
                table: "call_logs",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "recording_erased_by",
                table: "call_logs",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "text_erased_at",
                table: "call_logs",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "text_erased_by",
                table: "call_logs",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "recording_retention_days",
                table: "businesses",
                type: "integer",
                nullable: false,
                defaultValue: 7);

            migrationBuilder.AddColumn<int>(
                name: "transcript_retention_days",
                table: "businesses",
                type: "integer",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "erasure_requested_at",
                table: "call_logs");

            migrationBuilder.DropColumn(
                name: "recording_erased_at",
                table: "call_logs");

            migrationBuilder.DropColumn(
                name: "recording_erased_by",
                table: "call_logs");

            migrationBuilder.DropColumn(
                name: "text_erased_at",
                table: "call_logs");

            migrationBuilder.DropColumn(
                name: "text_erased_by",
                table: "call_logs");

            migrationBuilder.DropColumn(
                name: "recording_retention_days",
                table: "businesses");

            migrationBuilder.DropColumn(
                name: "transcript_retention_days",
                table: "businesses");
        }
    }
}
