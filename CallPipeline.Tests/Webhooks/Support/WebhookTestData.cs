using System.Security.Cryptography;
using CallPipeline.Data;
using CallPipeline.Data.Entities;
using CallPipeline.Webhooks;
using CallPipeline.Webhooks.Signing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CallPipeline.Tests.Webhooks.Support;

internal static class WebhookTestData
{
    public static CallPipelineDbContext OpenDb(string connectionString, ILoggerFactory? loggerFactory = null)
    {
        var options = new DbContextOptionsBuilder<CallPipelineDbContext>().UseNpgsql(connectionString);
        options.UseCallPipelineConventions();
        if (loggerFactory is not null)
        {
            options.UseLoggerFactory(loggerFactory);
        }
        return new CallPipelineDbContext(options.Options);
    }

    public static async Task<Business> AddBusinessAsync(
        string connectionString, string? inboundUrl = null, string? outboundUrl = null, string? genericUrl = null, string? secret = null, bool enabled = true)
    {
        await using var db = OpenDb(connectionString);
        var business = new Business
        {
            Name = "Test plumbing",
            PhoneE164 = "+9723" + RandomNumberGenerator.GetInt32(1_000_000, 9_999_999),
            InboundWebhookUrl = inboundUrl,
            OutboundWebhookUrl = outboundUrl,
            GenericWebhookUrl = genericUrl,
            WebhookSecret = secret ?? WebhookSecret.Generate(),
            WebhooksEnabled = enabled,
            CreatedAt = DateTimeOffset.UtcNow,
            UpdatedAt = DateTimeOffset.UtcNow,
        };
        db.Businesses.Add(business);
        await db.SaveChangesAsync();
        return business;
    }

    public static CallLog NewProcessedCall(int businessId, CallDirection direction = CallDirection.Inbound)
    {
        var started = DateTimeOffset.UtcNow.AddMinutes(-3);
        return new CallLog
        {
            CallSid = "CA" + RandomNumberGenerator.GetHexString(32, lowercase: true),
            BusinessId = businessId,
            Direction = direction,
            TwilioDirection = direction == CallDirection.Outbound ? "outbound-api" : "inbound",
            FromNumber = "+972501234567",
            ToNumber = "+97235550100",
            CallStatus = "completed",
            PipelineStatus = PipelineStatus.Processed,
            StartedAt = started,
            EndedAt = started.AddSeconds(95),
            DurationSeconds = 95,
            RecordingSid = "RE" + RandomNumberGenerator.GetHexString(32, lowercase: true),
            RecordingUrl = "https://api.twilio.com/2010-04-01/Accounts/AC00000000000000000000000000000000/Recordings/RE00000000000000000000000000000000",
            FinalTranscript = "שלום, אני צריך אינסטלטור בתל אביב מחר בבוקר",
            TranscriptSource = TranscriptSource.Recording,
            Summary = "Caller needs a plumber in Tel Aviv tomorrow morning.",
            ExtractedCity = "תל אביב",
            ExtractedService = "plumbing",
            ExtractionConfidence = 0.92,
            CustomerName = "Dana",
            CreatedAt = started,
            UpdatedAt = DateTimeOffset.UtcNow,
        };
    }

    /// <summary>Saves the call and its delivery in one transaction, as the worker does.</summary>
    public static async Task<WebhookDelivery?> AddCallWithDeliveryAsync(string connectionString, CallLog call, string eventType = CallWebhooks.CallCompleted)
    {
        await using var db = OpenDb(connectionString);
        db.CallLogs.Add(call);
        var delivery = await CallWebhooks.AddDeliveryAsync(db, call, eventType, CancellationToken.None);
        await db.SaveChangesAsync();
        return delivery;
    }

    public static async Task<WebhookDelivery> LoadDeliveryAsync(string connectionString, string webhookId)
    {
        await using var db = OpenDb(connectionString);
        return await db.WebhookDeliveries.AsNoTracking().Include(d => d.Attempts).SingleAsync(d => d.WebhookId == webhookId);
    }
}
