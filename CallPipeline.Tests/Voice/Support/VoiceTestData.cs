using System.Security.Cryptography;
using CallPipeline.Data;
using CallPipeline.Data.Entities;
using CallPipeline.Data.StoredRecordings;
using CallPipeline.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace CallPipeline.Tests.Voice.Support;

internal static class VoiceTestData
{
    public const string AccountSid = "AC0123456789abcdef0123456789abcdef";
    public const string AuthToken = "voice-test-auth-token-0123456789";
    public const string OperatorApiKey = "operator-key-for-voice-tests-0123456789";

    public static string NewCallSid() => "CA" + RandomNumberGenerator.GetHexString(32, lowercase: true);

    public static string NewRecordingSid() => "RE" + RandomNumberGenerator.GetHexString(32, lowercase: true);

    public static string NewStreamSid() => "MZ" + RandomNumberGenerator.GetHexString(32, lowercase: true);

    public static CallPipelineDbContext OpenDb(string connectionString)
    {
        var options = new DbContextOptionsBuilder<CallPipelineDbContext>().UseNpgsql(connectionString);
        options.UseCallPipelineConventions();
        return new CallPipelineDbContext(options.Options);
    }

    public static async Task<Business> AddBusinessAsync(
        string connectionString, string phoneE164, string name = "Test plumbing", bool active = true, string? webhookUrl = null, string region = "IL")
    {
        await using var db = OpenDb(connectionString);
        var business = new Business
        {
            Name = name,
            PhoneE164 = phoneE164,
            Region = region,
            IsActive = active,
            GenericWebhookUrl = webhookUrl,
            WebhookSecret = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)),
            CreatedAt = DateTimeOffset.UtcNow,
            UpdatedAt = DateTimeOffset.UtcNow,
        };
        db.Businesses.Add(business);
        await db.SaveChangesAsync();
        return business;
    }

    public static async Task<CallLog?> FindCallAsync(string connectionString, string callSid)
    {
        await using var db = OpenDb(connectionString);
        return await db.CallLogs.AsNoTracking().Include(c => c.WebhookDeliveries).SingleOrDefaultAsync(c => c.CallSid == callSid);
    }

    public static async Task UpdateCallAsync(string connectionString, string callSid, Action<CallLog> change)
    {
        await using var db = OpenDb(connectionString);
        var call = await db.CallLogs.SingleAsync(c => c.CallSid == callSid);
        change(call);
        await db.SaveChangesAsync();
    }

    /// <summary>
    /// The gateway's own recording of the call as it stored it in Postgres when the stream ended (the temporary file is
    /// gone by then); waits for the store, which follows the finalize.
    /// </summary>
    public static async Task<WavFile> StoredRecordingAsync(string connectionString, string callSid)
    {
        var call = await Eventually.ReturnsAsync(() => FindCallAsync(connectionString, callSid), c => c?.StoredRecordingBytes is not null, $"the recording of {callSid} is stored");
        await using var db = OpenDb(connectionString);
        using var wav = new MemoryStream();
        await StoredRecording.CopyToAsync(db, call!.Id, wav, CancellationToken.None);
        Assert.Equal(call.StoredRecordingBytes, wav.Length);
        return WavFile.Parse(wav.ToArray());
    }

    public static async Task<List<OutboxMessage>> OutboxAsync(string connectionString)
    {
        await using var db = OpenDb(connectionString);
        return await db.OutboxMessages.AsNoTracking().OrderBy(m => m.Id).ToListAsync();
    }
}
