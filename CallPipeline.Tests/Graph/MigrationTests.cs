using System.Diagnostics;
using CallPipeline.Hosting.Testing;
using Npgsql;

namespace CallPipeline.Tests.Graph;

[Collection(GraphCollection.Name)]
[Trait("Category", "Graph")]
public sealed class MigrationTests(GraphFixture graph)
{
    public static readonly TheoryData<string, string[]> ExpectedColumns = new()
    {
        { "businesses", ["id", "name", "kind", "phone_e164", "region", "language", "vocabulary", "inbound_webhook_url", "outbound_webhook_url", "generic_webhook_url", "webhook_secret", "webhooks_enabled", "is_active"] },
        { "call_logs", [
            "id", "call_sid", "parent_call_sid", "business_id", "direction", "twilio_direction", "from_number", "to_number",
            "call_status", "call_status_sequence", "pipeline_status", "started_at", "ended_at", "duration_seconds",
            "recording_sid", "recording_url", "recording_status", "recording_duration_seconds", "recording_channels",
            "realtime_transcript", "final_transcript", "transcript_source", "summary", "extracted_city", "extracted_service",
            "extraction_confidence", "customer_name", "audio_bytes", "audio_duration_seconds", "error_reason"] },
        { "webhook_deliveries", ["id", "webhook_id", "call_log_id", "business_id", "event_type", "target_url", "payload", "status", "attempt_count", "next_attempt_at"] },
        { "webhook_attempts", ["id", "webhook_delivery_id", "attempt_number", "attempted_at", "status_code", "latency_ms", "error"] },
        { "outbox_messages", ["id", "topic", "message_key", "payload", "created_at", "published_at"] },
    };

    [Theory]
    [MemberData(nameof(ExpectedColumns))]
    public async Task The_migrator_creates_the_schema_with_snake_case_names(string table, string[] columns)
    {
        var actual = await ColumnsAsync(table);

        Assert.All(columns, column => Assert.Contains(column, actual));
    }

    [Fact]
    public async Task Running_the_migrator_again_changes_nothing()
    {
        var connectionString = await graph.App.GetConnectionStringAsync("callsdb");
        var schemaBefore = await SchemaFingerprintAsync(connectionString!);
        var businessBefore = await ScalarAsync(connectionString!, "SELECT updated_at::text FROM businesses WHERE phone_e164 = '+97235550100'");

        var migrator = graph.App.Resources.OfType<CallPipeline.Hosting.ApplicationModel.ProjectResource>().Single(r => r.Name == "migrator");
        var startInfo = new ProcessStartInfo("dotnet", [migrator.Metadata.TargetPath])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(migrator.Metadata.ProjectPath),
        };
        startInfo.Environment["ConnectionStrings__callsdb"] = connectionString;
        startInfo.Environment["DOTNET_ENVIRONMENT"] = "Development";
        startInfo.Environment["DemoBusiness__WebhookReceiverUrl"] = graph.App.GetEndpoint("webhook-receiver").ToString().TrimEnd('/');
        startInfo.Environment["DemoBusiness__WebhookSecret"] = graph.App.Resources.OfType<CallPipeline.Hosting.ApplicationModel.ParameterResource>().Single(p => p.Name == "demo-webhook-secret").Value;
        using var process = Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(0, process.ExitCode);
        Assert.Contains("Applied 0 pending migrations", await output);
        Assert.Equal(schemaBefore, await SchemaFingerprintAsync(connectionString!));
        Assert.Equal(businessBefore, await ScalarAsync(connectionString!, "SELECT updated_at::text FROM businesses WHERE phone_e164 = '+97235550100'"));
    }

    private async Task<List<string>> ColumnsAsync(string table)
    {
        await using var connection = new NpgsqlConnection(await graph.App.GetConnectionStringAsync("callsdb"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = @table", connection);
        command.Parameters.AddWithValue("table", table);
        await using var reader = await command.ExecuteReaderAsync();
        var columns = new List<string>();
        while (await reader.ReadAsync())
        {
            columns.Add(reader.GetString(0));
        }
        return columns;
    }

    private static Task<object?> SchemaFingerprintAsync(string connectionString) => ScalarAsync(connectionString,
        "SELECT string_agg(table_name || '.' || column_name || ':' || data_type, ',' ORDER BY table_name, column_name) FROM information_schema.columns WHERE table_schema = 'public'");

    private static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
