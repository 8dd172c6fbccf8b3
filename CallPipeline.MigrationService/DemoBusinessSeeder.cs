using CallPipeline.Data;
using CallPipeline.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace CallPipeline.MigrationService;

/// <summary>Creates or refreshes the demo business. Running it again changes nothing unless the options changed.</summary>
internal sealed class DemoBusinessSeeder(CallPipelineDbContext db, DemoBusinessOptions options, ILogger logger)
{
    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        var business = await db.Businesses.SingleOrDefaultAsync(b => b.PhoneE164 == options.PhoneE164, cancellationToken);
        var now = DateTimeOffset.UtcNow;
        if (business is null)
        {
            business = new Business { Name = options.Name, PhoneE164 = options.PhoneE164, CreatedAt = now };
            db.Businesses.Add(business);
        }

        business.Name = options.Name;
        business.Kind = "plumbing and home repairs";
        business.Region = "IL";
        business.Language = "he";
        business.Description = "A plumbing company serving the Tel Aviv and Gush Dan area.";
        business.Vocabulary = "אינסטלטור, נזילה, סתימה, דוד שמש, תל אביב, רמת גן, חולון";
        var receiver = options.WebhookReceiverUrl?.TrimEnd('/');
        business.InboundWebhookUrl = receiver is null ? null : $"{receiver}/hooks/demo-inbound";
        business.OutboundWebhookUrl = receiver is null ? null : $"{receiver}/hooks/demo-outbound";
        business.WebhookSecret = options.WebhookSecret;
        business.WebhooksEnabled = receiver is not null && options.WebhookSecret is not null;
        business.IsActive = true;

        if (db.ChangeTracker.HasChanges())
        {
            business.UpdatedAt = now;
            await db.SaveChangesAsync(cancellationToken);
            logger.LogInformation("Seeded demo business {BusinessId} on {Phone}", business.Id, business.PhoneE164);
        }
        else
        {
            logger.LogInformation("Demo business {BusinessId} already up to date", business.Id);
        }
    }
}
