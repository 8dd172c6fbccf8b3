using CallPipeline.Data;
using CallPipeline.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CallPipeline.Voice.Calls;

/// <summary>The business a number belongs to, or why there is none.</summary>
public sealed record BusinessLookup(Business? Business, string? NumberE164, string? RejectionReason);

/// <summary>
/// Finds the business that owns a Twilio number: the number in E.164, exact match on <c>businesses.phone_e164</c>.
/// Never "the first active business" (the original system's fallback that handed calls to the wrong business).
/// </summary>
public sealed class BusinessDirectory(CallPipelineDbContext db, IOptions<VoiceOptions> options)
{
    public async Task<BusinessLookup> FindByNumberAsync(string? number, CancellationToken cancellationToken)
    {
        // A national-format number is read in each business's own region (and the configured default); Twilio
        // normally sends E.164, which parses the same in every region.
        var regions = await db.Businesses.AsNoTracking().Select(b => b.Region).Distinct().ToListAsync(cancellationToken);
        var candidates = regions.Append(options.Value.DefaultRegion)
            .Where(r => !string.IsNullOrWhiteSpace(r))
            .Select(r => PhoneNumberNormalizer.ToE164(number, r))
            .OfType<string>()
            .Distinct()
            .ToList();
        if (candidates.Count == 0)
        {
            return new BusinessLookup(null, null, "the called number is not a phone number");
        }

        var matches = await db.Businesses.AsNoTracking().Where(b => candidates.Contains(b.PhoneE164)).ToListAsync(cancellationToken);
        var numberE164 = matches.Count == 1 ? matches[0].PhoneE164 : candidates[0];
        return matches switch
        {
            [] => new BusinessLookup(null, numberE164, "no business has this number"),
            [{ IsActive: false }] => new BusinessLookup(null, numberE164, "the business with this number is not active"),
            [var business] => new BusinessLookup(business, numberE164, null),
            _ => new BusinessLookup(null, numberE164, "the number reads differently in several regions and matches more than one business"),
        };
    }
}
