using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using CallPipeline.Tests.Support;
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

        var rerun = await graph.App.ResourceCommands.ExecuteCommandAsync("migrator", KnownResourceCommands.StartCommand).WaitAsync(TimeSpan.FromMinutes(1));
        Assert.True(rerun.Success, rerun.Message);

        await Eventually.ReturnsAsync(
            () => Task.FromResult(graph.Logs.GetLines("migrator").Count(l => l.Text.Contains("Applied 0 pending migrations", StringComparison.Ordinal))),
            count => count > 0, "the migrator ran again and applied nothing", TimeSpan.FromMinutes(2));
        var finished = await graph.App.ResourceNotifications.WaitForResourceAsync(
            "migrator", e => e.Snapshot.State?.Text == KnownResourceStates.Finished).WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(0, finished.Snapshot.ExitCode);
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
