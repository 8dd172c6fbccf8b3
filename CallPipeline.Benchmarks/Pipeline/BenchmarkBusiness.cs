using System.Security.Cryptography;
using CallPipeline.Benchmarks.Graph;
using CallPipeline.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace CallPipeline.Benchmarks.Pipeline;

/// <summary>
/// A business of the graph's database whose webhooks go to the benchmark (<see cref="BusinessEndpoint"/>), so a call's
/// webhook is timed where it arrives. Like the demo business the migrator seeds (a Hebrew plumbing line), apart from the
/// number and the URL.
/// </summary>
public static class BenchmarkBusiness
{
    public const string Number = "+97235550199";

    public static async Task EnsureAsync(BenchmarkGraph graph, CancellationToken cancellationToken)
    {
        await using var db = await graph.OpenCallsDbAsync(cancellationToken);
        var now = DateTimeOffset.UtcNow;
        var business = await db.Businesses.SingleOrDefaultAsync(b => b.PhoneE164 == Number, cancellationToken);
        if (business is null)
        {
            business = new Business { Name = "Benchmark Plumbing", PhoneE164 = Number, CreatedAt = now };
            db.Businesses.Add(business);
        }
        business.Kind = "plumbing and home repairs";
        business.Region = "IL";
        business.Language = "he";
        business.Description = "A plumbing company serving the Tel Aviv and Gush Dan area.";
        business.Vocabulary = "אינסטלטור, נזילה, סתימה, דוד שמש, תל אביב, רמת גן, חולון";
        business.InboundWebhookUrl = new Uri(graph.Side.BaseUrl, BusinessEndpoint.Path).ToString();
        business.WebhookSecret = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
        business.WebhooksEnabled = true;
        business.IsActive = true;
        business.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
    }
}
