using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CallPipeline.Data.Migrations
{
    /// <inheritdoc />
    public partial class BusinessAdditionalPhoneNumbers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_businesses_phone_e164",
                table: "businesses");

            migrationBuilder.AddColumn<List<string>>(
                name: "additional_phone_numbers",
                table: "businesses",
                type: "text[]",
                nullable: false,
                defaultValueSql: "'{}'");

            migrationBuilder.CreateIndex(
                name: "ix_businesses_additional_phone_numbers",
                table: "businesses",
                column: "additional_phone_numbers")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "ix_businesses_phone_e164",
                table: "businesses",
                column: "phone_e164",
                unique: true,
                filter: "is_active");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_businesses_additional_phone_numbers",
                table: "businesses");

            migrationBuilder.DropIndex(
                name: "ix_businesses_phone_e164",
                table: "businesses");

            migrationBuilder.DropColumn(
                name: "additional_phone_numbers",
                table: "businesses");

            migrationBuilder.CreateIndex(
                name: "ix_businesses_phone_e164",
                table: "businesses",
                column: "phone_e164",
                unique: true);
        }
    }
}
