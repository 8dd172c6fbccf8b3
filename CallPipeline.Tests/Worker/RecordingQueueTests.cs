extern alias worker;

using CallPipeline.Data.Entities;
using CallPipeline.Tests.Infrastructure;
using CallPipeline.Tests.Support;
using CallPipeline.Tests.Worker.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using worker::CallPipeline.Worker.Queue;

namespace CallPipeline.Tests.Worker;

/// <summary>The consumer group on real Redis: sharing, reclaiming, dead letters, poison, reconciliation, outages and trimming.</summary>
[Collection(RedisOutageCollection.Name)]
[Trait("Category", "Infrastructure")]
public sealed class RecordingQueueTests(RedisOutageFixture infrastructure)
{
    private static readonly Dictionary<string, string> FastReclaim = new()
    {
        ["Worker:ClaimIdleTime"] = "00:00:02",
        ["Worker:ClaimCheckInterval"] = "00:00:00.200",
    };

    [Fact]
    public async Task Two_workers_share_the_jobs_and_no_job_is_processed_twice()
    {
        await using var env = await WorkerTestEnvironment.CreateAsync(infrastructure);
        env.OpenAi.TranscriptionDelay = TimeSpan.FromMilliseconds(300);
        var business = await env.AddBusinessAsync();
        var calls = new List<CallLog>();
        for (var i = 0; i < 6; i++)
        {
            calls.Add(await env.AddRecordedCallAsync(business.Id));
        }
        await using var first = WorkerHost.Start(env, "worker-a");
        await using var second = WorkerHost.Start(env, "worker-b");

        foreach (var call in calls)
        {
            await env.EnqueueAsync(call);
        }
        foreach (var call in calls)
        {
            var saved = await env.WaitForStatusAsync(call.CallSid, PipelineStatus.Processed);
            Assert.Equal(1, saved.ProcessingAttempts);
            Assert.Single(saved.WebhookDeliveries);
        }

        Assert.Equal(
            calls.Select(c => $"{c.RecordingSid}.wav").Order(),
            env.OpenAi.Transcriptions.Where(t => t.Model == "gpt-4o-transcribe").Select(t => t.FileName).Order());
        var saves = first.Logs.Lines.Concat(second.Logs.Lines).Count(l => l.StartsWith("Final transcript saved for ", StringComparison.Ordinal));
        Assert.Equal(6, saves);
        await Eventually.ReturnsAsync(env.PendingCountAsync, count => count == 0, "every entry is acknowledged");
    }

    [Fact]
    public async Task Two_entries_for_one_call_at_the_same_time_run_one_after_the_other_and_process_it_once()
    {
        await using var env = await WorkerTestEnvironment.CreateAsync(infrastructure);
        env.OpenAi.TranscriptionDelay = TimeSpan.FromSeconds(1);
        var business = await env.AddBusinessAsync();
        var call = await env.AddRecordedCallAsync(business.Id);
        // Heartbeats every 1.25 s keep the running entry well inside the idle time even on a loaded machine.
        var reclaim = new Dictionary<string, string>(FastReclaim) { ["Worker:ClaimIdleTime"] = "00:00:05" };
        await using var first = WorkerHost.Start(env, "worker-a", reclaim);
        await using var second = WorkerHost.Start(env, "worker-b", reclaim);

        await env.EnqueueAsync(call);
        await env.EnqueueAsync(call);
        await env.WaitForStatusAsync(call.CallSid, PipelineStatus.Processed);
        await Eventually.ReturnsAsync(env.PendingCountAsync, count => count == 0, "both entries are acknowledged");

        var saved = await env.LoadCallAsync(call.CallSid);
        var lines = first.Logs.Lines.Concat(second.Logs.Lines).ToList();
        Assert.True(env.OpenAi.Transcriptions.Count == 1, string.Join("\n", lines));
        Assert.Single(saved.WebhookDeliveries);
        Assert.Single(lines, l => l.StartsWith($"Final transcript saved for {call.CallSid}", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"Call {call.CallSid} is being processed by another entry", StringComparison.Ordinal));
        Assert.Contains(lines, l => l == $"Job for {call.CallSid} acknowledged without work: the call is already processed");
    }

    [Fact]
    public async Task A_dead_consumers_pending_job_is_claimed_and_finished_by_a_live_worker()
    {
        await using var env = await WorkerTestEnvironment.CreateAsync(infrastructure);
        var business = await env.AddBusinessAsync();
        var call = await env.AddRecordedCallAsync(business.Id);
        var db = env.Redis.GetDatabase();
        await db.StreamCreateConsumerGroupAsync(env.Stream, WorkerTestEnvironment.Group, StreamPosition.Beginning, createStream: true);
        var id = await env.EnqueueAsync(call);
        // A consumer that took the entry and died before acknowledging it.
        Assert.Single(await db.StreamReadGroupAsync(env.Stream, WorkerTestEnvironment.Group, "ghost", StreamPosition.NewMessages, 1));

        await using var worker = WorkerHost.Start(env, "worker-a", FastReclaim);
        await env.WaitForStatusAsync(call.CallSid, PipelineStatus.Processed);

        Assert.Contains($"Idle entry {id} claimed by worker-a", worker.Logs.Lines);
        await Eventually.ReturnsAsync(env.PendingCountAsync, count => count == 0, "the claimed entry is acknowledged");
    }

    [Fact]
    public async Task After_a_restart_a_worker_first_finishes_its_own_pending_entries()
    {
        await using var env = await WorkerTestEnvironment.CreateAsync(infrastructure);
        var business = await env.AddBusinessAsync();
        var call = await env.AddRecordedCallAsync(business.Id);
        var db = env.Redis.GetDatabase();
        await db.StreamCreateConsumerGroupAsync(env.Stream, WorkerTestEnvironment.Group, StreamPosition.Beginning, createStream: true);
        await env.EnqueueAsync(call);
        Assert.Single(await db.StreamReadGroupAsync(env.Stream, WorkerTestEnvironment.Group, "worker-a", StreamPosition.NewMessages, 1));

        // The claim idle time is long: only reading its own PEL from 0 lets the restarted consumer find the entry.
        await using var worker = WorkerHost.Start(env, "worker-a", new Dictionary<string, string> { ["Worker:ClaimIdleTime"] = "00:10:00" });
        await env.WaitForStatusAsync(call.CallSid, PipelineStatus.Processed);

        Assert.Contains("Consumer worker-a resumes 1 of its own pending entries", worker.Logs.Lines);
    }

    [Fact]
    public async Task A_worker_stopped_mid_job_leaves_the_entry_pending_and_another_worker_finishes_it()
    {
        await using var env = await WorkerTestEnvironment.CreateAsync(infrastructure);
        env.OpenAi.TranscriptionDelay = TimeSpan.FromSeconds(30);
        var business = await env.AddBusinessAsync();
        var call = await env.AddRecordedCallAsync(business.Id);
        var stopped = WorkerHost.Start(env, "worker-a", FastReclaim);
        await env.EnqueueAsync(call);
        await Eventually.ReturnsAsync(() => Task.FromResult(env.OpenAi.Transcriptions.Count), count => count == 1, "the job is transcribing");

        await stopped.DisposeAsync();
        Assert.Equal(1, await env.PendingCountAsync());
        Assert.NotEqual(PipelineStatus.Processed, (await env.LoadCallAsync(call.CallSid)).PipelineStatus);
        Assert.Contains(stopped.Logs.Lines, l => l.StartsWith("Entry ", StringComparison.Ordinal) && l.EndsWith("left pending for another consumer: the worker is stopping", StringComparison.Ordinal));

        env.OpenAi.TranscriptionDelay = TimeSpan.Zero;
        await using var other = WorkerHost.Start(env, "worker-b", FastReclaim);
        var saved = await env.WaitForStatusAsync(call.CallSid, PipelineStatus.Processed, workers: other);

        Assert.Equal(2, saved.ProcessingAttempts);
        Assert.Single(saved.WebhookDeliveries);
        Assert.Contains(other.Logs.Lines, l => l.StartsWith("Idle entry ", StringComparison.Ordinal) && l.EndsWith(" claimed by worker-b", StringComparison.Ordinal));
        await Eventually.ReturnsAsync(env.PendingCountAsync, count => count == 0, "the entry is acknowledged");
    }

    [Fact]
    public async Task A_job_failing_on_every_delivery_goes_to_the_dead_letter_stream_after_max_deliveries_and_the_call_records_why()
    {
        await using var env = await WorkerTestEnvironment.CreateAsync(infrastructure);
        env.OpenAi.Transcribe = _ => null;
        env.OpenAi.Failure = (503, "The engine is currently overloaded.");
        var business = await env.AddBusinessAsync();
        var call = await env.AddRecordedCallAsync(business.Id);
        await using var worker = WorkerHost.Start(env, "worker-a", new Dictionary<string, string>(FastReclaim) { ["Worker:MaxDeliveries"] = "3" });

        var id = await env.EnqueueAsync(call);
        var saved = await env.WaitForStatusAsync(call.CallSid, PipelineStatus.Failed);

        Assert.StartsWith("gave up after 3 deliveries: transcription failed", saved.ErrorReason);
        Assert.Contains("HTTP 503", saved.ErrorReason);
        Assert.Equal(3, saved.ProcessingAttempts);
        Assert.Empty(saved.WebhookDeliveries);
        var dead = Assert.Single(await Eventually.ReturnsAsync(env.DeadLettersAsync, entries => entries.Length > 0, "the entry is dead-lettered"));
        Assert.Equal(call.CallSid, (string?)dead["callSid"]);
        Assert.Equal(call.RecordingSid, (string?)dead["recordingSid"]);
        Assert.Equal(id.ToString(), (string?)dead["originalId"]);
        Assert.Equal("3", (string?)dead["deliveries"]);
        Assert.Equal(saved.ErrorReason, (string?)dead["error"]);
        Assert.Equal(6, env.OpenAi.Transcriptions.Count);
        await Eventually.ReturnsAsync(env.PendingCountAsync, count => count == 0, "the entry is acknowledged");
    }

    [Fact]
    public async Task Poison_entries_go_to_the_dead_letter_stream_at_once_and_the_worker_keeps_processing()
    {
        await using var env = await WorkerTestEnvironment.CreateAsync(infrastructure);
        var business = await env.AddBusinessAsync();
        var call = await env.AddRecordedCallAsync(business.Id);
        await using var worker = WorkerHost.Start(env, "worker-a");

        await env.EnqueueAsync(new NameValueEntry("unexpected", "field"));
        await env.EnqueueAsync("CA00000000000000000000000000000000", "RE00000000000000000000000000000000");
        await env.EnqueueAsync(call);
        await env.WaitForStatusAsync(call.CallSid, PipelineStatus.Processed);

        var dead = await Eventually.ReturnsAsync(env.DeadLettersAsync, entries => entries.Length == 2, "both poison entries are dead-lettered");
        // Two slots work on them at once, so either may be dead-lettered first.
        Assert.Equal(
            ["no call log has CallSid CA00000000000000000000000000000000", "poison message: the entry has no valid callSid"],
            dead.Select(d => (string?)d["error"]).Order(StringComparer.Ordinal));
        Assert.All(dead, d => Assert.Equal("1", (string?)d["deliveries"]));
        await Eventually.ReturnsAsync(env.PendingCountAsync, count => count == 0, "every entry is acknowledged");
    }

    [Fact]
    public async Task The_reconciler_queues_through_the_outbox_recorded_calls_whose_job_never_came_and_calls_whose_worker_died_and_leaves_the_rest()
    {
        await using var env = await WorkerTestEnvironment.CreateAsync(infrastructure);
        var business = await env.AddBusinessAsync();
        var db = env.Redis.GetDatabase();
        // The group exists, so the worker's start is not a recovery from lost data: only the periodic pass acts here.
        await db.StreamCreateConsumerGroupAsync(env.Stream, WorkerTestEnvironment.Group, StreamPosition.Beginning, createStream: true);
        var stuck = await env.AddRecordedCallAsync(business.Id, updatedAt: DateTimeOffset.UtcNow.AddMinutes(-10));
        var abandoned = await env.AddRecordedCallAsync(business.Id, status: PipelineStatus.Processing);
        var live = await env.AddRecordedCallAsync(business.Id, status: PipelineStatus.Processing);
        var fresh = await env.AddRecordedCallAsync(business.Id);
        await using (var calls = env.OpenDb())
        {
            await calls.CallLogs.Where(c => c.CallSid == abandoned.CallSid).ExecuteUpdateAsync(set => set
                .SetProperty(c => c.ProcessingOwner, "dead-worker:1-0")
                .SetProperty(c => c.ProcessingLeaseExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-4)));
            await calls.CallLogs.Where(c => c.CallSid == live.CallSid).ExecuteUpdateAsync(set => set
                .SetProperty(c => c.ProcessingOwner, "live-worker:1-0")
                .SetProperty(c => c.ProcessingLeaseExpiresAt, DateTimeOffset.UtcNow.AddMinutes(10)));
        }
        await using var relay = await env.StartRelayAsync();
        await using var worker = WorkerHost.Start(env, "worker-a", new Dictionary<string, string>
        {
            ["Worker:ReconcileInterval"] = "00:00:00.500",
            ["Worker:ReconcileGracePeriod"] = "00:03:00",
        });

        await env.WaitForStatusAsync(stuck.CallSid, PipelineStatus.Processed);
        await env.WaitForStatusAsync(abandoned.CallSid, PipelineStatus.Processed);

        Assert.Single(worker.Logs.Lines, l => l.StartsWith($"Reconciler queued {stuck.CallSid} again: Recorded since", StringComparison.Ordinal));
        Assert.Single(worker.Logs.Lines, l => l.StartsWith($"Reconciler queued {abandoned.CallSid} again: Processing since", StringComparison.Ordinal));
        var outbox = await env.OutboxAsync();
        Assert.Equal(2, outbox.Count);
        Assert.Contains(outbox, m => m.MessageKey.StartsWith($"{stuck.RecordingSid}:requeue:", StringComparison.Ordinal));
        Assert.Contains(outbox, m => m.MessageKey.StartsWith($"{abandoned.RecordingSid}:requeue:", StringComparison.Ordinal));
        Assert.All(outbox, m => Assert.NotNull(m.PublishedAt));
        var processed = await env.LoadCallAsync(abandoned.CallSid);
        Assert.Null(processed.ProcessingOwner);
        Assert.Null(processed.ProcessingLeaseExpiresAt);
        Assert.Equal(PipelineStatus.Recorded, (await env.LoadCallAsync(fresh.CallSid)).PipelineStatus);
        Assert.Equal(PipelineStatus.Processing, (await env.LoadCallAsync(live.CallSid)).PipelineStatus);
        Assert.DoesNotContain(worker.Logs.Lines, l => l.Contains(fresh.CallSid) || l.Contains(live.CallSid));
    }

    [Fact]
    public async Task A_call_ended_without_Twilios_recording_callback_is_processed_once_it_stalled_and_the_rest_are_left()
    {
        await using var env = await WorkerTestEnvironment.CreateAsync(infrastructure);
        var business = await env.AddBusinessAsync();
        await env.Redis.GetDatabase().StreamCreateConsumerGroupAsync(env.Stream, WorkerTestEnvironment.Group, StreamPosition.Beginning, createStream: true);
        // The recording callback that would have queued each of these was lost on its way to the gateway.
        var stalled = await env.AddRecordedCallAsync(business.Id, status: PipelineStatus.Ended, updatedAt: DateTimeOffset.UtcNow.AddMinutes(-20));
        var recent = await env.AddRecordedCallAsync(business.Id, status: PipelineStatus.Ended, updatedAt: DateTimeOffset.UtcNow.AddMinutes(-1));
        var silent = await env.AddRecordedCallAsync(business.Id, status: PipelineStatus.Ended, updatedAt: DateTimeOffset.UtcNow.AddMinutes(-20));
        await using (var calls = env.OpenDb())
        {
            await calls.CallLogs.Where(c => c.CallSid == silent.CallSid).ExecuteUpdateAsync(set => set
                .SetProperty(c => c.RecordingSid, (string?)null)
                .SetProperty(c => c.RecordingUrl, (string?)null)
                .SetProperty(c => c.StreamFinalizedAt, (DateTimeOffset?)null));
        }
        await using var relay = await env.StartRelayAsync();
        await using var worker = WorkerHost.Start(env, "worker-a", new Dictionary<string, string>
        {
            ["Worker:ReconcileInterval"] = "00:00:00.500",
            ["Worker:StalledCallGracePeriod"] = "00:15:00",
        });

        await env.WaitForStatusAsync(stalled.CallSid, PipelineStatus.Processed);

        Assert.Single(worker.Logs.Lines, l => l.StartsWith($"Reconciler queued {stalled.CallSid}: ended since", StringComparison.Ordinal));
        Assert.Contains(await env.OutboxAsync(), m => m.MessageKey.StartsWith($"{stalled.RecordingSid}:requeue:", StringComparison.Ordinal));
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(PipelineStatus.Ended, (await env.LoadCallAsync(recent.CallSid)).PipelineStatus);
        Assert.Equal(PipelineStatus.Ended, (await env.LoadCallAsync(silent.CallSid)).PipelineStatus);
        Assert.DoesNotContain(worker.Logs.Lines, l => l.Contains(recent.CallSid) || l.Contains(silent.CallSid));
    }

    [Fact]
    public async Task A_call_abandoned_in_processing_as_often_as_max_deliveries_is_failed_with_its_reason_and_not_queued_again()
    {
        await using var env = await WorkerTestEnvironment.CreateAsync(infrastructure);
        var business = await env.AddBusinessAsync();
        await env.Redis.GetDatabase().StreamCreateConsumerGroupAsync(env.Stream, WorkerTestEnvironment.Group, StreamPosition.Beginning, createStream: true);
        var crashing = await env.AddRecordedCallAsync(business.Id, status: PipelineStatus.Processing);
        await using (var calls = env.OpenDb())
        {
            // Its third run killed its worker too, like the two before.
            await calls.CallLogs.Where(c => c.CallSid == crashing.CallSid).ExecuteUpdateAsync(set => set
                .SetProperty(c => c.ProcessingAttempts, 3)
                .SetProperty(c => c.ProcessingOwner, "dead-worker:3-0")
                .SetProperty(c => c.ProcessingLeaseExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-4)));
        }
        await using var worker = WorkerHost.Start(env, "worker-a", new Dictionary<string, string>
        {
            ["Worker:ReconcileInterval"] = "00:00:00.500",
            ["Worker:MaxDeliveries"] = "3",
        });

        var failed = await env.WaitForStatusAsync(crashing.CallSid, PipelineStatus.Failed);

        Assert.Equal("abandoned in processing after 3 attempts: its worker stopped each time", failed.ErrorReason);
        Assert.Null(failed.ProcessingOwner);
        Assert.Empty(await env.OutboxAsync());
        Assert.Contains($"Call {crashing.CallSid} failed: abandoned in processing after 3 attempts, its worker stopped each time", worker.Logs.Lines);
    }

    [Fact]
    public async Task A_redis_outage_during_a_job_is_survived_reported_by_health_and_work_resumes_after_it()
    {
        await using var env = await WorkerTestEnvironment.CreateAsync(infrastructure);
        env.OpenAi.TranscriptionDelay = TimeSpan.FromSeconds(4);
        var business = await env.AddBusinessAsync();
        var during = await env.AddRecordedCallAsync(business.Id);
        var after = await env.AddRecordedCallAsync(business.Id);
        await using var worker = WorkerHost.Start(env, "worker-a");
        await Eventually.ReturnsAsync(worker.HealthAsync, health => health.Status == 200, "the worker is healthy");
        await env.EnqueueAsync(during);
        await Eventually.ReturnsAsync(() => Task.FromResult(env.OpenAi.Transcriptions.Count), count => count == 1, "the job is transcribing");

        await infrastructure.StopRedisAsync();
        try
        {
            await Eventually.ReturnsAsync(worker.HealthAsync, health => health.Status == 503, "health reports the outage");
            var queueHealth = await Eventually.ReturnsAsync(
                () => Task.FromResult(worker.Services.GetRequiredService<QueueHealth>().Check()),
                check => check.Status == HealthStatus.Unhealthy,
                "the queue's own check reports the outage");
            Assert.StartsWith("the recording queue cannot reach Redis since", queueHealth.Description);
            // The job in flight needs only Postgres and OpenAI: it finishes during the outage.
            await env.WaitForStatusAsync(during.CallSid, PipelineStatus.Processed);
        }
        finally
        {
            await infrastructure.StartRedisAsync();
        }

        env.OpenAi.TranscriptionDelay = TimeSpan.Zero;
        await Eventually.ReturnsAsync(worker.HealthAsync, health => health.Status == 200, "health recovers");
        await env.EnqueueAsync(after);
        await env.WaitForStatusAsync(after.CallSid, PipelineStatus.Processed);

        Assert.Contains("Redis reachable again; the recording queue resumes", worker.Logs.Lines);
        Assert.Equal(HealthStatus.Healthy, worker.Services.GetRequiredService<QueueHealth>().Check().Status);
        Assert.Single((await env.LoadCallAsync(during.CallSid)).WebhookDeliveries);
        Assert.DoesNotContain(worker.Logs.Lines, l => l.Contains("Unhandled exception") || l.Contains("failed outside the pipeline"));
    }

    [Fact]
    public async Task Trimming_removes_only_acknowledged_entries_and_never_a_pending_or_undelivered_one()
    {
        await using var env = await WorkerTestEnvironment.CreateAsync(infrastructure);
        var options = new QueueOptions { ConsumerName = "trimmer", RetainAcknowledgedFor = TimeSpan.Zero };
        var queue = new RecordingJobQueue(env.Redis, env.StreamOptions(), Options.Create(options), TimeProvider.System);
        var db = env.Redis.GetDatabase();
        await queue.EnsureGroupAsync();
        var ids = new List<RedisValue>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await env.EnqueueAsync($"CA{i}", $"RE{i}"));
        }
        Assert.Equal(3, (await queue.ReadNewAsync(10)).Length);
        await queue.AcknowledgeAsync(ids[0]);
        await queue.AcknowledgeAsync(ids[2]);

        await queue.TrimAcknowledgedAsync();
        Assert.Equal([ids[1], ids[2]], (await db.StreamRangeAsync(env.Stream)).Select(e => e.Id));

        var undelivered = await env.EnqueueAsync("CA3", "RE3");
        await queue.AcknowledgeAsync(ids[1]);
        await queue.TrimAcknowledgedAsync();
        Assert.Equal([undelivered], (await db.StreamRangeAsync(env.Stream)).Select(e => e.Id));
    }

    [Fact]
    public async Task Claiming_an_idle_entry_of_a_job_still_running_counts_no_delivery_and_hands_nothing_out()
    {
        await using var env = await WorkerTestEnvironment.CreateAsync(infrastructure);
        var options = new QueueOptions { ConsumerName = "claimer", ClaimIdleTime = TimeSpan.FromMilliseconds(50) };
        var queue = new RecordingJobQueue(env.Redis, env.StreamOptions(), Options.Create(options), TimeProvider.System);
        await queue.EnsureGroupAsync();
        var id = await env.EnqueueAsync("CA1", "RE1");
        Assert.Single(await queue.ReadNewAsync(1));
        await Task.Delay(TimeSpan.FromMilliseconds(200));

        Assert.Empty(await queue.ClaimIdleAsync(10, running => running == id));
        Assert.Equal(1, await queue.DeliveryCountAsync(id));

        await Task.Delay(TimeSpan.FromMilliseconds(200));
        var claimed = Assert.Single(await queue.ClaimIdleAsync(10, _ => false));
        Assert.Equal(id, claimed.Id);
        Assert.Equal(2, await queue.DeliveryCountAsync(id));
    }
}
