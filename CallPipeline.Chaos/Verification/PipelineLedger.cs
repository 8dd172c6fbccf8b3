using System.Net.Http.Json;
using System.Text.Json;
using CallPipeline.RecordingJobs;
using CallPipeline.Webhooks;
using Npgsql;
using StackExchange.Redis;

namespace CallPipeline.Chaos.Verification;

/// <summary>
/// What Postgres, Redis and the webhook receiver say about the run's calls: the evidence the chaos run judges by,
/// read straight from the stores, never from the services' own answers.
/// </summary>
public sealed class PipelineLedger(NpgsqlDataSource database, IConnectionMultiplexer redis, Func<HttpClient> receiver) : IAsyncDisposable
{
    /// <summary>The receiver's hook the demo business's inbound webhooks go to.</summary>
    public const string InboundHook = "demo-inbound";

    private const string Processed = "processed";
    private const string Delivered = "delivered";

    public static async Task<PipelineLedger> OpenAsync(string databaseConnectionString, string redisConnectionString, Func<HttpClient> receiver)
    {
        var database = NpgsqlDataSource.Create(databaseConnectionString + ";Timeout=5;Command Timeout=30");
        var options = ConfigurationOptions.Parse(redisConnectionString);
        options.AbortOnConnectFail = false;
        return new PipelineLedger(database, await ConnectionMultiplexer.ConnectAsync(options), receiver);
    }

    /// <summary>How many of the calls are done: processed, and their call.completed webhook delivered.</summary>
    public async Task<int> CountDoneAsync(IReadOnlyCollection<string> callSids, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("""
            SELECT count(*) FROM call_logs c
            JOIN webhook_deliveries d ON d.call_log_id = c.id AND d.event_type = $2 AND d.status = $3
            WHERE c.call_sid = ANY($1) AND c.pipeline_status = $4
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = callSids.ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = CallWebhooks.CallCompleted });
        command.Parameters.Add(new NpgsqlParameter { Value = Delivered });
        command.Parameters.Add(new NpgsqlParameter { Value = Processed });
        return (int)(long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Calls in processing under a lease of the worker process <paramref name="workerPid"/> (its consumer name ends in its pid).</summary>
    public async Task<int> JobsRunningInAsync(int workerPid, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("SELECT count(*) FROM call_logs WHERE pipeline_status = 'processing' AND processing_owner LIKE $1");
        command.Parameters.Add(new NpgsqlParameter { Value = $"%-{workerPid}:%" });
        return (int)(long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Entries in the recording-jobs stream (acknowledged ones stay a day), or null while Redis is unreachable.</summary>
    public async Task<long?> StreamLengthAsync()
    {
        try
        {
            return await redis.GetDatabase().StreamLengthAsync(RecordingJobStream.DefaultName);
        }
        catch (RedisException)
        {
            return null;
        }
    }

    /// <summary>Webhook attempts made between two instants: how many failed with a 5xx and how many timed out.</summary>
    public async Task<(int ServerErrors, int Timeouts)> FailedAttemptsBetweenAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("""
            SELECT count(*) FILTER (WHERE status_code >= 500), count(*) FILTER (WHERE status_code IS NULL AND error LIKE 'no response within%')
            FROM webhook_attempts WHERE attempted_at >= $1 AND attempted_at <= $2
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = from });
        command.Parameters.Add(new NpgsqlParameter { Value = to });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return ((int)reader.GetInt64(0), (int)reader.GetInt64(1));
    }

    /// <summary>Each call's pipeline status and its call.completed delivery, as Postgres holds them.</summary>
    public async Task<Dictionary<string, StoredCall>> CallsAsync(IReadOnlyCollection<string> callSids, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("""
            SELECT c.call_sid, c.pipeline_status, c.processing_attempts, d.webhook_id, d.status, d.attempt_count, c.error_reason
            FROM call_logs c LEFT JOIN webhook_deliveries d ON d.call_log_id = c.id AND d.event_type = $2
            WHERE c.call_sid = ANY($1)
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = callSids.ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = CallWebhooks.CallCompleted });
        var calls = new Dictionary<string, StoredCall>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            calls[reader.GetString(0)] = new StoredCall(
                reader.GetString(1),
                reader.GetInt32(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? 0 : reader.GetInt32(5),
                reader.IsDBNull(6) ? null : reader.GetString(6));
        }
        return calls;
    }

    /// <summary>
    /// Work still held for the calls: calls short of a final status, unpublished outbox rows, webhooks not yet delivered,
    /// stream entries no consumer acknowledged. Only the given calls count: other work may share the graph.
    /// </summary>
    public async Task<Leftovers> LeftoversAsync(IReadOnlyCollection<string> callSids, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("""
            SELECT
              (SELECT count(*) FROM outbox_messages WHERE published_at IS NULL AND payload ->> $2 = ANY($1)),
              (SELECT count(*) FROM webhook_deliveries d JOIN call_logs c ON c.id = d.call_log_id WHERE c.call_sid = ANY($1) AND d.status = 'pending'),
              (SELECT count(*) FROM call_logs WHERE call_sid = ANY($1) AND pipeline_status IN ('received', 'in_progress', 'ended', 'recorded', 'processing'))
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = callSids.ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = RecordingJob.CallSidProperty });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new Leftovers((int)reader.GetInt64(2), (int)reader.GetInt64(0), (int)reader.GetInt64(1), await PendingEntriesAsync(callSids));
    }

    /// <summary>Entries of the recording-jobs stream delivered to a consumer and never acknowledged, for the given calls.</summary>
    private async Task<int> PendingEntriesAsync(IReadOnlyCollection<string> callSids)
    {
        var ours = callSids.ToHashSet(StringComparer.Ordinal);
        var stream = redis.GetDatabase();
        var pending = await stream.StreamPendingMessagesAsync(RecordingJobStream.DefaultName, RecordingJobStream.DefaultConsumerGroup, 10_000, RedisValue.Null);
        var count = 0;
        foreach (var entry in pending)
        {
            var read = await stream.StreamRangeAsync(RecordingJobStream.DefaultName, entry.MessageId, entry.MessageId);
            var callSid = read.FirstOrDefault().Values?.FirstOrDefault(v => v.Name == RecordingJobStream.CallSidField).Value.ToString();
            if (callSid is not null && ours.Contains(callSid))
            {
                count++;
            }
        }
        return count;
    }

    /// <summary>What the receiver accepted (verified) on the demo business's inbound hook.</summary>
    public async Task<List<ReceiverWebhook>> ReceivedAsync(CancellationToken cancellationToken)
    {
        using var client = receiver();
        var listed = await client.GetFromJsonAsync<JsonElement[]>($"/hooks/{InboundHook}", cancellationToken) ?? [];
        return listed.Select(w =>
        {
            using var body = JsonDocument.Parse(w.GetProperty("body").GetString()!);
            return new ReceiverWebhook(
                w.GetProperty("id").GetString()!,
                body.RootElement.GetProperty("call_sid").GetString()!,
                body.RootElement.GetProperty("event_type").GetString()!,
                w.GetProperty("attemptsSeen").GetInt32(),
                w.GetProperty("otherBodiesSeen").GetInt32());
        }).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        await database.DisposeAsync();
        await redis.DisposeAsync();
    }
}

/// <summary>A call as Postgres holds it: pipeline status, processing attempts, its call.completed delivery if any, and why it failed if it did.</summary>
public sealed record StoredCall(string PipelineStatus, int ProcessingAttempts, string? WebhookId, string? DeliveryStatus, int DeliveryAttempts, string? ErrorReason);

/// <summary>A webhook the receiver accepted: its id, call and event, arrivals of its id, and arrivals of its id with another body.</summary>
public sealed record ReceiverWebhook(string Id, string CallSid, string EventType, int AttemptsSeen, int OtherBodiesSeen);

/// <summary>Work left undone: calls short of a final status, outbox rows, webhook deliveries, stream entries.</summary>
public sealed record Leftovers(int Calls, int OutboxRows, int Deliveries, long StreamEntries)
{
    public bool None => Calls == 0 && OutboxRows == 0 && Deliveries == 0 && StreamEntries == 0;
}
