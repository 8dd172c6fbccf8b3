using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CallPipeline.Data.Migrations
{
    /// <inheritdoc />
    public partial class WebhookSecretRotation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "previous_webhook_secret",
                table: "businesses",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "previous_webhook_secret_expires_at",
                table: "businesses",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "previous_webhook_secret",
                table: "businesses");

            migrationBuilder.DropColumn(
                name: "previous_webhook_secret_expires_at",
                table: "businesses");
        }
    }
}
