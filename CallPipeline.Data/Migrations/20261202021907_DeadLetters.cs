using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace CallPipeline.Data.Migrations
{
    /// <inheritdoc />
    public partial class DeadLetters : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "first_failed_at",
                table: "call_logs",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "dead_letters",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    call_log_id = table.Column<long>(type: "bigint", nullable: true),
                    call_sid = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    business_id = table.Column<int>(type: "integer", nullable: true),
                    recording_sid = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    stream_entry_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    webhook_delivery_id = table.Column<long>(type: "bigint", nullable: true),
                    reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    first_failed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_failed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    replayed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    replay_count = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_dead_letters", x => x.id);
                    table.ForeignKey(
                        name: "fk_dead_letters_call_logs_call_log_id",
                        column: x => x.call_log_id,
                        principalTable: "call_logs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_dead_letters_webhook_deliveries_webhook_delivery_id",
                        column: x => x.webhook_delivery_id,
                        principalTable: "webhook_deliveries",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_dead_letters_business_id_last_failed_at",
                table: "dead_letters",
                columns: new[] { "business_id", "last_failed_at" });

            migrationBuilder.CreateIndex(
                name: "ix_dead_letters_call_log_id",
                table: "dead_letters",
                column: "call_log_id",
                unique: true,
                filter: "kind = 'recording_job'");

            migrationBuilder.CreateIndex(
                name: "ix_dead_letters_last_failed_at",
                table: "dead_letters",
                column: "last_failed_at");

            migrationBuilder.CreateIndex(
                name: "ix_dead_letters_webhook_delivery_id",
                table: "dead_letters",
                column: "webhook_delivery_id",
                unique: true,
                filter: "webhook_delivery_id IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "dead_letters");

            migrationBuilder.DropColumn(
                name: "first_failed_at",
                table: "call_logs");
        }
    }
}
