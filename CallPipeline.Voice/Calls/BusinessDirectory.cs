using CallPipeline.Data;
using CallPipeline.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CallPipeline.Voice.Calls;

/// <summary>The business a number belongs to, or why there is none.</summary>
public sealed record BusinessLookup(Business? Business, string? NumberE164, string? RejectionReason);

/// <summary>
/// Finds the business that owns a Twilio number: the number in E.164, exact match on <c>businesses.phone_e164</c> or one
/// of its <c>additional_phone_numbers</c>.
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

        var matches = await db.Businesses.AsNoTracking()
            .Where(b => candidates.Contains(b.PhoneE164) || b.AdditionalPhoneNumbers.Any(n => candidates.Contains(n)))
            .ToListAsync(cancellationToken);
        // Deactivated businesses keep their numbers for the record; a number routes only to the active business that has it.
        var active = matches.Where(b => b.IsActive).ToList();
        return active switch
        {
            [var business] => new BusinessLookup(business, candidates.First(business.HasNumber), null),
            [] when matches.Count == 0 => new BusinessLookup(null, candidates[0], "no business has this number"),
            [] => new BusinessLookup(null, candidates.First(matches[0].HasNumber), "the business with this number is not active"),
            _ => new BusinessLookup(null, candidates[0], "the number reads differently in several regions and matches more than one business"),
        };
    }
}
