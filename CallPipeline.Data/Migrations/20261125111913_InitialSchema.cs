using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace CallPipeline.Data.Migrations
{
    /// <inheritdoc />
    public partial class InitialSchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "businesses",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    kind = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    phone_e164 = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    region = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: false),
                    language = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    vocabulary = table.Column<string>(type: "text", nullable: true),
                    description = table.Column<string>(type: "text", nullable: true),
                    inbound_webhook_url = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    outbound_webhook_url = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    generic_webhook_url = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    webhook_secret = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    webhooks_enabled = table.Column<bool>(type: "boolean", nullable: false),
                    is_active = table.Column<bool>(type: "boolean", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_businesses", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "outbox_messages",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    topic = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    message_key = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    payload = table.Column<string>(type: "jsonb", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    published_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    publish_attempts = table.Column<int>(type: "integer", nullable: false),
                    last_error = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_outbox_messages", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "call_logs",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    call_sid = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    parent_call_sid = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    business_id = table.Column<int>(type: "integer", nullable: true),
                    direction = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    twilio_direction = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    from_number = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    to_number = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    call_status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    call_status_sequence = table.Column<int>(type: "integer", nullable: true),
                    call_status_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    pipeline_status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ended_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    duration_seconds = table.Column<int>(type: "integer", nullable: true),
                    media_stream_sid = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    stream_finalized_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    local_recording_path = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: true),
                    recording_sid = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    recording_url = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: true),
                    recording_status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    recording_duration_seconds = table.Column<int>(type: "integer", nullable: true),
                    recording_channels = table.Column<int>(type: "integer", nullable: true),
                    recording_error_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    realtime_transcript = table.Column<string>(type: "text", nullable: true),
                    final_transcript = table.Column<string>(type: "text", nullable: true),
                    transcript_source = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    summary = table.Column<string>(type: "text", nullable: true),
                    extracted_city = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    extracted_service = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    extraction_confidence = table.Column<double>(type: "double precision", nullable: true),
                    customer_name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    audio_bytes = table.Column<long>(type: "bigint", nullable: true),
                    audio_duration_seconds = table.Column<double>(type: "double precision", nullable: true),
                    processing_attempts = table.Column<int>(type: "integer", nullable: false),
                    processed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    step_timings = table.Column<string>(type: "jsonb", nullable: true),
                    error_reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_call_logs", x => x.id);
                    table.ForeignKey(
                        name: "fk_call_logs_businesses_business_id",
                        column: x => x.business_id,
                        principalTable: "businesses",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "webhook_deliveries",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    webhook_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    call_log_id = table.Column<long>(type: "bigint", nullable: false),
                    business_id = table.Column<int>(type: "integer", nullable: false),
                    event_type = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    target_url = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                    payload = table.Column<string>(type: "text", nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    attempt_count = table.Column<int>(type: "integer", nullable: false),
                    next_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    delivered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_status_code = table.Column<int>(type: "integer", nullable: true),
                    last_error = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_webhook_deliveries", x => x.id);
                    table.ForeignKey(
                        name: "fk_webhook_deliveries_call_logs_call_log_id",
                        column: x => x.call_log_id,
                        principalTable: "call_logs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "webhook_attempts",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    webhook_delivery_id = table.Column<long>(type: "bigint", nullable: false),
                    attempt_number = table.Column<int>(type: "integer", nullable: false),
                    attempted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    status_code = table.Column<int>(type: "integer", nullable: true),
                    latency_ms = table.Column<int>(type: "integer", nullable: false),
                    error = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_webhook_attempts", x => x.id);
                    table.ForeignKey(
                        name: "fk_webhook_attempts_webhook_deliveries_webhook_delivery_id",
                        column: x => x.webhook_delivery_id,
                        principalTable: "webhook_deliveries",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_businesses_phone_e164",
                table: "businesses",
                column: "phone_e164",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_call_logs_business_id",
                table: "call_logs",
                column: "business_id");

            migrationBuilder.CreateIndex(
                name: "ix_call_logs_call_sid",
                table: "call_logs",
                column: "call_sid",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_call_logs_pipeline_status_recording_status",
                table: "call_logs",
                columns: new[] { "pipeline_status", "recording_status" });

            migrationBuilder.CreateIndex(
                name: "ix_call_logs_recording_sid",
                table: "call_logs",
                column: "recording_sid",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_call_logs_started_at",
                table: "call_logs",
                column: "started_at");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_created_at",
                table: "outbox_messages",
                column: "created_at",
                filter: "published_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_topic_message_key",
                table: "outbox_messages",
                columns: new[] { "topic", "message_key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_webhook_attempts_webhook_delivery_id_attempt_number",
                table: "webhook_attempts",
                columns: new[] { "webhook_delivery_id", "attempt_number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_webhook_deliveries_call_log_id_event_type",
                table: "webhook_deliveries",
                columns: new[] { "call_log_id", "event_type" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_webhook_deliveries_status_next_attempt_at",
                table: "webhook_deliveries",
                columns: new[] { "status", "next_attempt_at" });

            migrationBuilder.CreateIndex(
                name: "ix_webhook_deliveries_webhook_id",
                table: "webhook_deliveries",
                column: "webhook_id",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "outbox_messages");

            migrationBuilder.DropTable(
                name: "webhook_attempts");

            migrationBuilder.DropTable(
                name: "webhook_deliveries");

            migrationBuilder.DropTable(
                name: "call_logs");

            migrationBuilder.DropTable(
                name: "businesses");
        }
    }
}
