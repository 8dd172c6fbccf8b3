using CallPipeline.Data;
using CallPipeline.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CallPipeline.Voice.Retention;

/// <summary>What one pass of the sweep did.</summary>
public sealed record SweepResult(int RecordingsErased, int RecordingsFailed, int TextsErased);

/// <summary>
/// Every <see cref="RetentionOptions.SweepInterval"/>: deletes the recordings of calls older than their business's
/// <see cref="Business.RecordingRetentionDays"/> (and of calls whose erasure was requested but not finished), and clears
/// the text of calls older than <see cref="Business.TranscriptRetentionDays"/>. Calls still waiting for or in the worker
/// are left for later. Each call is erased on its own (<see cref="CallDataEraser"/>), so a crash loses nothing and the
/// next pass resumes where this one stopped.
/// </summary>
public sealed partial class RetentionSweep(IServiceScopeFactory scopes, IOptions<RetentionOptions> options, TimeProvider time, ILogger<RetentionSweep> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval, time);
        do
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogSweepFailed(logger, ex, options.Value.SweepInterval);
            }
        }
        while (await timer.NextTickAsync(stoppingToken));
    }

    public async Task<SweepResult> SweepAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CallPipelineDbContext>();
        var eraser = scope.ServiceProvider.GetRequiredService<CallDataEraser>();
        var settings = options.Value;
        var now = time.GetUtcNow();

        var recordings = await db.Database.SqlQuery<DueCall>(
            $"""
            SELECT c.id AS "Id", c.erasure_requested_at IS NOT NULL AS "Requested"
            FROM call_logs c LEFT JOIN businesses b ON b.id = c.business_id
            WHERE c.recording_erased_at IS NULL
              AND (c.recording_sid IS NOT NULL OR c.stored_recording_bytes IS NOT NULL OR c.local_recording_path IS NOT NULL)
              AND c.pipeline_status NOT IN ('recorded', 'processing')
              AND (c.erasure_requested_at IS NOT NULL
                   OR c.started_at < {now} - make_interval(days => COALESCE(b.recording_retention_days, {settings.DefaultRecordingRetentionDays})))
            ORDER BY c.started_at
            LIMIT {settings.BatchSize}
            """).ToListAsync(cancellationToken);
        var (erased, failed) = (0, 0);
        foreach (var call in recordings)
        {
            var (outcome, _) = await eraser.EraseRecordingAsync(call.Id, call.Requested ? Erasure.Request : Erasure.Retention, cancellationToken);
            erased += outcome == RecordingErasure.Erased ? 1 : 0;
            failed += outcome == RecordingErasure.Failed ? 1 : 0;
        }

        var texts = await db.Database.SqlQuery<long>(
            $"""
            SELECT c.id AS "Value"
            FROM call_logs c JOIN businesses b ON b.id = c.business_id
            WHERE c.text_erased_at IS NULL
              AND b.transcript_retention_days IS NOT NULL
              AND c.pipeline_status NOT IN ('recorded', 'processing')
              AND c.started_at < {now} - make_interval(days => b.transcript_retention_days)
            ORDER BY c.started_at
            LIMIT {settings.BatchSize}
            """).ToListAsync(cancellationToken);
        var textsErased = texts.Count == 0 ? 0 : await eraser.EraseTextAsync(texts, Erasure.Retention, cancellationToken);

        var result = new SweepResult(erased, failed, textsErased);
        if (result != new SweepResult(0, 0, 0))
        {
            LogSwept(logger, erased, failed, textsErased);
        }
        return result;
    }

    private sealed record DueCall(long Id, bool Requested);

    [LoggerMessage(1, LogLevel.Information, "Retention sweep: {Erased} recording(s) erased, {Failed} left for the next pass, text of {Texts} call(s) erased")]
    private static partial void LogSwept(ILogger logger, int erased, int failed, int texts);

    [LoggerMessage(2, LogLevel.Warning, "Retention sweep failed; the next pass in {Interval} resumes it")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception, TimeSpan interval);
}
