using System.Diagnostics;
using System.Text.Json;
using CallPipeline.Data;
using CallPipeline.Data.Entities;
using CallPipeline.Data.Tracing;
using CallPipeline.RecordingJobs;
using CallPipeline.Voice.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CallPipeline.Voice.Outbox;

/// <summary>
/// Publishes outbox rows to the recording-jobs stream (<see cref="RecordingJobStream"/>) and marks them published. Rows are claimed with
/// <c>FOR UPDATE SKIP LOCKED</c>, so replicas share the work. When Redis is down nothing is lost: the rows stay
/// unpublished and the relay retries with backoff. A crash between XADD and the commit publishes twice; the worker is
/// idempotent on RecordingSid. Each publish is a producer span in the trace the row was written in, and the entry carries
/// that span's traceparent for the worker.
/// </summary>
public sealed partial class OutboxRelay(
    IServiceScopeFactory scopes,
    RecordingJobStream stream,
    OutboxSignal signal,
    IOptions<VoiceOptions> voiceOptions,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    private const int BatchSize = 50;
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = FirstBackoff;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var published = await PublishBatchAsync(stoppingToken);
                backoff = FirstBackoff;
                if (published == BatchSize)
                {
                    continue;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                LogPublishFailed(logger, exception.GetType().Name, exception.Message, backoff.TotalSeconds);
                await Delay(backoff, stoppingToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
                continue;
            }
            await signal.WaitAsync(voiceOptions.Value.OutboxPollInterval, stoppingToken);
        }
    }

    /// <summary>Publishes up to one batch; returns how many rows were published.</summary>
    public async Task<int> PublishBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CallPipelineDbContext>();
        var (publishedRows, redisFailure) = await db.InTransactionAsync(async ct =>
        {
            var rows = await db.OutboxMessages
                .FromSql($"SELECT * FROM outbox_messages WHERE published_at IS NULL ORDER BY id LIMIT {BatchSize} FOR UPDATE SKIP LOCKED")
                .ToListAsync(ct);
            var published = 0;
            Exception? failure = null;
            foreach (var row in rows)
            {
                try
                {
                    await PublishAsync(row);
                    row.PublishedAt = DateTimeOffset.UtcNow;
                    published++;
                }
                catch (Exception exception) when (exception is RedisException or TimeoutException)
                {
                    row.LastError = Truncate($"{exception.GetType().Name}: {exception.Message}", 1000);
                    failure = exception;
                }
                catch (Exception exception) when (exception is JsonException or InvalidOperationException)
                {
                    // A row this relay cannot publish stays in the outbox with its reason, without holding up the others.
                    row.LastError = Truncate($"{exception.GetType().Name}: {exception.Message}", 1000);
                    LogUnpublishable(logger, row.Id, row.LastError);
                }
                finally
                {
                    row.PublishAttempts++;
                }
                if (failure is not null)
                {
                    break;
                }
            }
            await db.SaveChangesAsync(ct);
            return (published, failure);
        }, cancellationToken);
        // Thrown once the rows' attempts are committed, so the relay's backoff sees Redis failing.
        if (redisFailure is not null)
        {
            throw redisFailure;
        }
        return publishedRows;
    }

    private async Task PublishAsync(OutboxMessage row)
    {
        if (row.Topic != RecordingJob.Topic)
        {
            throw new InvalidOperationException($"Outbox message {row.Id} has topic {row.Topic}, which this relay does not publish.");
        }
        var job = RecordingJob.FromPayload(row.Payload)
            ?? throw new InvalidOperationException($"Outbox message {row.Id} has no payload.");
        var rowTrace = row.GetTrace();
        using var span = CallTraces.Source.StartActivity($"send {stream.Name}", ActivityKind.Producer, rowTrace?.ToParent() ?? default);
        span?.SetTag(TraceTags.MessagingSystem, TraceTags.Redis);
        span?.SetTag(TraceTags.MessagingDestinationName, stream.Name);
        span?.SetTag(TraceTags.MessagingOperationType, "send");
        span?.SetTag(TraceTags.MessagingOperationName, "XADD");
        span?.SetTag(TraceTags.CallSid, job.CallSid);
        span?.SetTag(TraceTags.RecordingSid, job.RecordingSid);
        RedisValue entryId;
        try
        {
            // Without a listener there is no span; the row's own context still carries the trace on.
            entryId = await stream.AddAsync(job, row.Id, TraceContext.Of(span) ?? rowTrace);
        }
        catch (Exception exception)
        {
            span.Fail(exception.GetType().Name);
            throw;
        }
        span?.SetTag(TraceTags.MessagingMessageId, entryId.ToString());
        LogPublished(logger, job.CallSid, job.RecordingSid, stream.Name, entryId.ToString(), row.Id);
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];

    private static async Task Delay(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Recording job published for {CallSid}: {RecordingSid} to stream {Stream} as {EntryId} (outbox message {OutboxId})")]
    private static partial void LogPublished(ILogger logger, string callSid, string recordingSid, string stream, string entryId, long outboxId);

    [LoggerMessage(2, LogLevel.Warning, "Outbox relay could not publish ({ErrorType}: {Error}); retrying in {BackoffSeconds} s, the jobs stay in the outbox")]
    private static partial void LogPublishFailed(ILogger logger, string errorType, string error, double backoffSeconds);

    [LoggerMessage(3, LogLevel.Error, "Outbox message {OutboxId} cannot be published: {Reason}")]
    private static partial void LogUnpublishable(ILogger logger, long outboxId, string reason);
}
