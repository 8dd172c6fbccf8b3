extern alias voice;

using System.Data.Common;
using CallPipeline.Data;
using CallPipeline.Data.Entities;
using CallPipeline.Data.StoredRecordings;
using CallPipeline.Tests.Infrastructure;
using CallPipeline.Tests.Voice.Support;
using CallPipeline.Tests.Worker.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using voice::CallPipeline.Voice;
using voice::CallPipeline.Voice.MediaStreams;

namespace CallPipeline.Tests.Voice;

/// <summary>
/// A finished call's recording moves into Postgres from the store queue's own thread, with synchronous statements: no
/// continuation of that database work can then run on the gateway's socket thread, where the live streams' frames are read.
/// </summary>
[Trait("Category", "Infrastructure")]
public sealed class RecordingStoreQueueTests(InfrastructureFixture infrastructure) : IClassFixture<InfrastructureFixture>
{
    [Fact]
    public async Task A_recording_is_stored_whole_by_the_queues_own_thread_with_synchronous_statements_and_its_file_removed()
    {
        var database = await infrastructure.CreateDatabaseAsync();
        var business = await VoiceTestData.AddBusinessAsync(database, "+97235550100");
        var path = Path.Combine(Directory.CreateTempSubdirectory("store-queue").FullName, "call.wav");
        var bytes = await AudioSamples.ToneWavAsync(seconds: 40, channels: 2);
        await File.WriteAllBytesAsync(path, bytes);
        long callId;
        await using (var db = VoiceTestData.OpenDb(database))
        {
            var call = new CallLog { CallSid = VoiceTestData.NewCallSid(), BusinessId = business.Id, PipelineStatus = PipelineStatus.Ended, StartedAt = DateTimeOffset.UtcNow, LocalRecordingPath = path };
            db.CallLogs.Add(call);
            await db.SaveChangesAsync();
            callId = call.Id;
        }
        var statements = new StatementThreads();
        await using var services = new ServiceCollection()
            .AddDbContext<CallPipelineDbContext>(options => options.UseNpgsql(database).UseCallPipelineConventions().AddInterceptors(statements))
            .BuildServiceProvider();

        using (var queue = new RecordingStoreQueue(services.GetRequiredService<IServiceScopeFactory>(), Options.Create(new VoiceOptions())))
        {
            Assert.Equal(bytes.Length, await queue.StoreAsync(callId, path).WaitAsync(TimeSpan.FromSeconds(60)));
        }

        Assert.False(File.Exists(path));
        Assert.InRange(bytes.Length, StoredRecording.ChunkBytes + 1, 2 * StoredRecording.ChunkBytes);
        Assert.Equal(["recording-store"], statements.Seen.Select(s => s.Thread).Distinct());
        Assert.DoesNotContain(statements.Seen, s => s.Async);
        await using var check = VoiceTestData.OpenDb(database);
        var stored = await check.CallLogs.AsNoTracking().SingleAsync(c => c.Id == callId);
        Assert.Equal(bytes.Length, stored.StoredRecordingBytes);
        Assert.Null(stored.LocalRecordingPath);
        using var copy = new MemoryStream();
        await StoredRecording.CopyToAsync(check, callId, copy, CancellationToken.None);
        Assert.Equal(bytes, copy.ToArray());
    }

    /// <summary>Which thread ran each statement, and whether it was issued asynchronously.</summary>
    private sealed class StatementThreads : DbCommandInterceptor
    {
        public List<(string? Thread, bool Async)> Seen { get; } = [];

        public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
        {
            Record(async: false);
            return result;
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Record(async: true);
            return ValueTask.FromResult(result);
        }

        public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        {
            Record(async: false);
            return result;
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Record(async: true);
            return ValueTask.FromResult(result);
        }

        private void Record(bool async)
        {
            lock (Seen)
            {
                Seen.Add((Thread.CurrentThread.Name, async));
            }
        }
    }
}
