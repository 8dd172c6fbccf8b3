using System.Security.Cryptography;
using CallPipeline.Data;
using CallPipeline.Data.Entities;
using CallPipeline.RecordingJobs;
using CallPipeline.Tests.Infrastructure;
using CallPipeline.Tests.Support;
using CallPipeline.Tests.Voice.Support;
using CallPipeline.Tests.Webhooks.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CallPipeline.Tests.Worker.Support;

/// <summary>
/// One test's world: its own database, its own stream names on the shared Redis, a fake OpenAI and a fake Twilio media server.
/// </summary>
internal sealed class WorkerTestEnvironment : IAsyncDisposable
{
    private WorkerTestEnvironment(InfrastructureFixture infrastructure, string database, FakeOpenAi openAi, FakeTwilioMedia twilio, ConnectionMultiplexer redis)
    {
        Infrastructure = infrastructure;
        Database = database;
        OpenAi = openAi;
        Twilio = twilio;
        Redis = redis;
        var suffix = Guid.NewGuid().ToString("N")[..10];
        Stream = $"recording-jobs-{suffix}";
        DeadLetterStream = $"recording-jobs-dead-{suffix}";
    }

    public InfrastructureFixture Infrastructure { get; }

    public string Database { get; }

    public FakeOpenAi OpenAi { get; }

    public FakeTwilioMedia Twilio { get; }

    public ConnectionMultiplexer Redis { get; }

    public string Stream { get; }

    public string DeadLetterStream { get; }

    public const string Group = RecordingJobStream.DefaultConsumerGroup;

    public static async Task<WorkerTestEnvironment> CreateAsync(InfrastructureFixture infrastructure)
    {
        var database = await infrastructure.CreateDatabaseAsync();
        var openAi = await FakeOpenAi.StartAsync();
        var twilio = await FakeTwilioMedia.StartAsync();
        // One channel: today's path. Tests of speaker turns give the recording two channels.
        twilio.Audio = await AudioSamples.ToneWavAsync(channels: 1);
        var options = ConfigurationOptions.Parse(infrastructure.RedisConnectionString);
        options.AbortOnConnectFail = false;
        var redis = await ConnectionMultiplexer.ConnectAsync(options);
        return new WorkerTestEnvironment(infrastructure, database, openAi, twilio, redis);
    }

    public Dictionary<string, string> Settings(string consumerName) => new()
    {
        ["ConnectionStrings:callsdb"] = Database,
        ["ConnectionStrings:cache"] = Infrastructure.RedisConnectionString,
        ["OpenAI:Endpoint"] = OpenAi.BaseUrl,
        ["OpenAI:ApiKey"] = "sk-test-key",
        ["OpenAI:MaxRetries"] = "0",
        ["Twilio:AccountSid"] = FakeTwilioMedia.AccountSid,
        ["Twilio:AuthToken"] = FakeTwilioMedia.AuthToken,
        ["Twilio:ApiBaseUrl"] = Twilio.BaseUrl,
        ["Worker:Stream"] = Stream,
        ["Worker:DeadLetterStream"] = DeadLetterStream,
        ["Worker:NudgeChannel"] = Stream + ":nudge",
        ["Worker:ConsumerName"] = consumerName,
        ["Worker:PollMaxDelay"] = "00:00:00.200",
        ["Worker:ClaimCheckInterval"] = "00:00:00.500",
        ["Worker:DownloadFirstRetryDelay"] = "00:00:00.100",
        ["Worker:DownloadRetryBudget"] = "00:00:10",
        ["Worker:ReconcileInterval"] = "01:00:00",
        ["Worker:StreamCheckInterval"] = "00:00:00.500",
        ["Webhooks:Dispatcher:PollInterval"] = "00:10:00",
    };

    /// <summary>The stream's names as <see cref="Settings"/> configures them.</summary>
    public IOptions<RecordingJobStreamOptions> StreamOptions() => Options.Create(new RecordingJobStreamOptions
    {
        Stream = Stream,
        ConsumerGroup = Group,
        NudgeChannel = Stream + ":nudge",
        DeadLetterStream = DeadLetterStream,
    });

    public CallPipelineDbContext OpenDb() => WebhookTestData.OpenDb(Database);

    public async Task<Business> AddBusinessAsync(string name = "Haifa Plumbing", string? vocabulary = "נזילה, דוד שמש, חיפה, קריות")
    {
        await using var db = OpenDb();
        var business = new Business
        {
            Name = name,
            Kind = "plumbing",
            Description = "Plumbers for the Haifa area",
            Vocabulary = vocabulary,
            PhoneE164 = "+9724" + RandomNumberGenerator.GetInt32(1_000_000, 9_999_999),
            // Nothing listens there: the delivery row is what the worker owes; sending it is the dispatcher's job.
            InboundWebhookUrl = "http://127.0.0.1:9/hooks/inbound",
            WebhookSecret = CallPipeline.Webhooks.Signing.WebhookSecret.Generate(),
            CreatedAt = DateTimeOffset.UtcNow,
            UpdatedAt = DateTimeOffset.UtcNow,
        };
        db.Businesses.Add(business);
        await db.SaveChangesAsync();
        return business;
    }

    /// <summary>A call as the voice gateway leaves it when the recording callback has completed.</summary>
    public async Task<CallLog> AddRecordedCallAsync(
        int? businessId, string? realtimeTranscript = null, bool withRecordingUrl = true, string? localRecordingPath = null, DateTimeOffset? updatedAt = null,
        PipelineStatus status = PipelineStatus.Recorded)
    {
        await using var db = OpenDb();
        var recordingSid = "RE" + RandomNumberGenerator.GetHexString(32, lowercase: true);
        var started = DateTimeOffset.UtcNow.AddMinutes(-2);
        var call = new CallLog
        {
            CallSid = "CA" + RandomNumberGenerator.GetHexString(32, lowercase: true),
            BusinessId = businessId,
            Direction = CallDirection.Inbound,
            TwilioDirection = "inbound",
            FromNumber = "+972501234567",
            ToNumber = "+97248550100",
            CallStatus = "completed",
            PipelineStatus = status,
            StartedAt = started,
            EndedAt = started.AddSeconds(40),
            DurationSeconds = 40,
            RecordingSid = recordingSid,
            RecordingUrl = withRecordingUrl ? Twilio.RecordingUrl(recordingSid) : null,
            RecordingStatus = "completed",
            LocalRecordingPath = localRecordingPath,
            RealtimeTranscript = realtimeTranscript,
            CreatedAt = started,
            UpdatedAt = updatedAt ?? DateTimeOffset.UtcNow,
        };
        db.CallLogs.Add(call);
        await db.SaveChangesAsync();
        return call;
    }

    /// <summary>
    /// The voice gateway on this test's database and stream: its outbox relay publishes what the reconciler (or a test,
    /// as the recording callback would) writes to the outbox.
    /// </summary>
    public Task<VoiceHost> StartRelayAsync() => VoiceHost.StartAsync(
        Infrastructure,
        new Dictionary<string, string> { ["Worker:Stream"] = Stream, ["Worker:NudgeChannel"] = Stream + ":nudge" },
        database: Database);

    /// <summary>The call's job in the outbox, as the recording callback writes it.</summary>
    public async Task AddOutboxJobAsync(CallLog call)
    {
        await using var db = OpenDb();
        db.OutboxMessages.Add(new RecordingJob(call.CallSid, call.RecordingSid!).ToOutboxMessage(call.RecordingSid!, DateTimeOffset.UtcNow, trace: null));
        await db.SaveChangesAsync();
    }

    public async Task<List<OutboxMessage>> OutboxAsync()
    {
        await using var db = OpenDb();
        return await db.OutboxMessages.AsNoTracking().OrderBy(m => m.Id).ToListAsync();
    }

    public async Task<RedisValue> EnqueueAsync(CallLog call) => await EnqueueAsync(call.CallSid, call.RecordingSid!);

    public async Task<RedisValue> EnqueueAsync(params NameValueEntry[] fields)
    {
        var id = await Redis.GetDatabase().StreamAddAsync(Stream, fields);
        await Redis.GetSubscriber().PublishAsync(RedisChannel.Literal(Stream + ":nudge"), id);
        return id;
    }

    public Task<RedisValue> EnqueueAsync(string callSid, string recordingSid) =>
        EnqueueAsync(new NameValueEntry(RecordingJobStream.CallSidField, callSid), new NameValueEntry(RecordingJobStream.RecordingSidField, recordingSid));

    public async Task<CallLog> LoadCallAsync(string callSid)
    {
        await using var db = OpenDb();
        return await db.CallLogs.AsNoTracking().Include(c => c.WebhookDeliveries).SingleAsync(c => c.CallSid == callSid);
    }

    /// <summary>Waits for the call's status; on timeout the workers' log lines say why.</summary>
    public async Task<CallLog> WaitForStatusAsync(string callSid, PipelineStatus status, TimeSpan? timeout = null, params WorkerHost[] workers)
    {
        try
        {
            return await Eventually.ReturnsAsync(() => LoadCallAsync(callSid), c => c.PipelineStatus == status, $"call {callSid} is {status}", timeout);
        }
        catch (TimeoutException ex)
        {
            var lines = workers.Length == 0 ? Hosts.SelectMany(h => h.Logs.Lines) : workers.SelectMany(h => h.Logs.Lines);
            throw new TimeoutException(ex.Message + " Worker log:\n" + string.Join("\n", lines.TakeLast(60)), ex);
        }
    }

    /// <summary>Worker hosts started for this environment, for diagnostics.</summary>
    public List<WorkerHost> Hosts { get; } = [];

    public async Task<StreamEntry[]> DeadLettersAsync() => await Redis.GetDatabase().StreamRangeAsync(DeadLetterStream);

    public async Task<long> PendingCountAsync()
    {
        try
        {
            return (await Redis.GetDatabase().StreamPendingAsync(Stream, Group)).PendingMessageCount;
        }
        catch (RedisServerException)
        {
            return 0;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await OpenAi.DisposeAsync();
        await Twilio.DisposeAsync();
        await Redis.DisposeAsync();
    }
}
