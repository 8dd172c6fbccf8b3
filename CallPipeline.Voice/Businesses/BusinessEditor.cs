using System.Text.RegularExpressions;
using CallPipeline.Data;
using CallPipeline.Data.Entities;
using CallPipeline.Voice.Calls;
using CallPipeline.Webhooks.Signing;
using CallPipeline.Webhooks.Targets;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CallPipeline.Voice.Businesses;

public enum BusinessEditStatus
{
    Done,
    NotFound,
    Invalid,
    /// <summary>One of the numbers belongs to another active business.</summary>
    Conflict,
}

/// <summary>What a change to a business came to: the business, the refused fields, or the clash.</summary>
public sealed record BusinessEdit(BusinessEditStatus Status, Business? Business = null, Dictionary<string, string[]>? Errors = null, string? Conflict = null);

/// <summary>
/// Creates, changes and deactivates businesses for the operator API. Numbers are normalised to E.164 with libphonenumber
/// in the business's region; a number routes calls to one business only, so no two active businesses share one. That is
/// checked under one advisory lock for every change of numbers or activity (a unique index cannot span the main number
/// and the array of additional ones), with the unique index on the main number as the backstop.
/// </summary>
public sealed partial class BusinessEditor(CallPipelineDbContext db, IHostEnvironment environment, TimeProvider time, ILogger<BusinessEditor> logger)
{
    public const int MaxPhoneNumbers = 20;
    public const int MaxTextLength = 4000;
    public const int MaxRetentionDays = 3650;
    /// <summary>The advisory lock every change of a business's numbers or activity takes ("busnum").</summary>
    private const long NumbersLock = 0x6275_736E_756D;
    private const string UniqueViolation = "23505";

    public async Task<BusinessEdit> CreateAsync(BusinessBody body, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var given = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "name", "phoneNumbers" };
        foreach (var (name, value) in Fields(body))
        {
            if (value is not null)
            {
                given.Add(name);
            }
        }
        var business = new Business { Name = "", PhoneE164 = "", WebhookSecret = WebhookSecret.Generate(), CreatedAt = now, UpdatedAt = now };
        if (Apply(business, body, given) is { Count: > 0 } errors)
        {
            return new BusinessEdit(BusinessEditStatus.Invalid, Errors: errors);
        }

        var edit = await SaveNumbersSafelyAsync(async ct =>
        {
            await LockNumbersAsync(ct);
            if (await FindClashAsync(business, ct) is { } clash)
            {
                return new BusinessEdit(BusinessEditStatus.Conflict, Conflict: clash);
            }
            db.Businesses.Add(business);
            await db.SaveChangesAsync(ct);
            return new BusinessEdit(BusinessEditStatus.Done, business);
        }, cancellationToken);
        if (edit.Business is { } created)
        {
            LogCreated(logger, created.Id, created.PhoneNumbers().Count);
        }
        return edit;
    }

    /// <param name="given">The JSON properties the PATCH body carried: only these change.</param>
    public async Task<BusinessEdit> UpdateAsync(int id, BusinessBody body, IReadOnlySet<string> given, CancellationToken cancellationToken)
    {
        var edit = await SaveNumbersSafelyAsync(async ct =>
        {
            var routing = given.Contains("phoneNumbers") || given.Contains("active");
            if (routing)
            {
                await LockNumbersAsync(ct);
            }
            var business = await db.Businesses.FromSql($"SELECT * FROM businesses WHERE id = {id} FOR UPDATE").SingleOrDefaultAsync(ct);
            if (business is null)
            {
                return new BusinessEdit(BusinessEditStatus.NotFound);
            }
            if (Apply(business, body, given) is { Count: > 0 } errors)
            {
                return new BusinessEdit(BusinessEditStatus.Invalid, Errors: errors);
            }
            if (routing && await FindClashAsync(business, ct) is { } clash)
            {
                return new BusinessEdit(BusinessEditStatus.Conflict, Conflict: clash);
            }
            business.UpdatedAt = time.GetUtcNow();
            await db.SaveChangesAsync(ct);
            return new BusinessEdit(BusinessEditStatus.Done, business);
        }, cancellationToken);
        if (edit.Status == BusinessEditStatus.Done)
        {
            LogUpdated(logger, id, string.Join(',', given.Order(StringComparer.Ordinal)));
        }
        return edit;
    }

    /// <summary>Deleting deactivates: the business keeps its row, numbers and calls, and takes no new calls.</summary>
    public async Task<BusinessEdit> DeactivateAsync(int id, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var changed = await db.Businesses.Where(b => b.Id == id)
            .ExecuteUpdateAsync(set => set.SetProperty(b => b.IsActive, false).SetProperty(b => b.UpdatedAt, now), cancellationToken);
        if (changed == 0)
        {
            return new BusinessEdit(BusinessEditStatus.NotFound);
        }
        LogDeactivated(logger, id);
        return new BusinessEdit(BusinessEditStatus.Done);
    }

    /// <summary>The fields of <paramref name="body"/> by their JSON names, for telling which a create set.</summary>
    private static IEnumerable<(string Name, object? Value)> Fields(BusinessBody body) =>
    [
        ("kind", body.Kind), ("description", body.Description), ("region", body.Region), ("language", body.Language),
        ("vocabulary", body.Vocabulary), ("inboundWebhookUrl", body.InboundWebhookUrl), ("outboundWebhookUrl", body.OutboundWebhookUrl),
        ("genericWebhookUrl", body.GenericWebhookUrl), ("webhooksEnabled", body.WebhooksEnabled), ("active", body.Active),
        ("recordingRetentionDays", body.RecordingRetentionDays), ("transcriptRetentionDays", body.TranscriptRetentionDays),
    ];

    /// <summary>Sets the given fields on <paramref name="business"/>; returns the refused ones by JSON name, empty when all are good.</summary>
    private Dictionary<string, string[]> Apply(Business business, BusinessBody body, IReadOnlySet<string> given)
    {
        var errors = new Dictionary<string, string[]>();
        var development = environment.IsDevelopment();

        if (given.Contains("name"))
        {
            var name = body.Name?.Trim();
            if (string.IsNullOrEmpty(name) || name.Length > 200)
            {
                errors["name"] = ["A name of 1 to 200 characters is required."];
            }
            else
            {
                business.Name = name;
            }
        }
        // Before the numbers: a number without a country code is read in the business's region.
        if (given.Contains("region"))
        {
            var region = body.Region?.Trim().ToUpperInvariant();
            if (!PhoneNumberNormalizer.IsSupportedRegion(region))
            {
                errors["region"] = ["The region must be an ISO 3166-1 alpha-2 code libphonenumber knows, e.g. IL or US."];
            }
            else
            {
                business.Region = region!;
            }
        }
        if (given.Contains("phoneNumbers"))
        {
            if (NormaliseNumbers(body.PhoneNumbers, business.Region, out var problem) is { } numbers)
            {
                business.PhoneE164 = numbers[0];
                business.AdditionalPhoneNumbers = [.. numbers.Skip(1)];
            }
            else
            {
                errors["phoneNumbers"] = [problem];
            }
        }
        if (given.Contains("language"))
        {
            var language = body.Language?.Trim().ToLowerInvariant();
            if (language is null || !LanguageCode().IsMatch(language))
            {
                errors["language"] = ["The language must be an ISO 639-1 code of two letters, e.g. he or en."];
            }
            else
            {
                business.Language = language;
            }
        }
        SetText(given, "kind", body.Kind, 100, v => business.Kind = v, errors);
        SetText(given, "description", body.Description, MaxTextLength, v => business.Description = v, errors);
        SetText(given, "vocabulary", body.Vocabulary, MaxTextLength, v => business.Vocabulary = v, errors);
        SetUrl(given, "inboundWebhookUrl", body.InboundWebhookUrl, development, v => business.InboundWebhookUrl = v, errors);
        SetUrl(given, "outboundWebhookUrl", body.OutboundWebhookUrl, development, v => business.OutboundWebhookUrl = v, errors);
        SetUrl(given, "genericWebhookUrl", body.GenericWebhookUrl, development, v => business.GenericWebhookUrl = v, errors);
        SetFlag(given, "webhooksEnabled", body.WebhooksEnabled, v => business.WebhooksEnabled = v, errors);
        SetFlag(given, "active", body.Active, v => business.IsActive = v, errors);
        if (given.Contains("recordingRetentionDays"))
        {
            if (body.RecordingRetentionDays is { } days and >= 1 and <= MaxRetentionDays)
            {
                business.RecordingRetentionDays = days;
            }
            else
            {
                errors["recordingRetentionDays"] = [$"Days from 1 to {MaxRetentionDays}; it cannot be removed."];
            }
        }
        if (given.Contains("transcriptRetentionDays"))
        {
            if (body.TranscriptRetentionDays is null or (>= 1 and <= MaxRetentionDays))
            {
                business.TranscriptRetentionDays = body.TranscriptRetentionDays;
            }
            else
            {
                errors["transcriptRetentionDays"] = [$"Days from 1 to {MaxRetentionDays}, or null to keep the text until erased."];
            }
        }
        return errors;
    }

    private static List<string>? NormaliseNumbers(IReadOnlyList<string>? given, string region, out string problem)
    {
        problem = "";
        if (given is not { Count: > 0 and <= MaxPhoneNumbers })
        {
            problem = $"Give 1 to {MaxPhoneNumbers} phone numbers; the first is the business's main number.";
            return null;
        }
        var numbers = new List<string>(given.Count);
        foreach (var number in given)
        {
            if (PhoneNumberNormalizer.ToValidE164(number, region) is not { } e164)
            {
                problem = $"'{number}' is not a valid phone number (read in region {region} when it has no country code).";
                return null;
            }
            if (!numbers.Contains(e164))
            {
                numbers.Add(e164);
            }
        }
        return numbers;
    }

    private static void SetText(IReadOnlySet<string> given, string name, string? value, int maxLength, Action<string?> set, Dictionary<string, string[]> errors)
    {
        if (!given.Contains(name))
        {
            return;
        }
        var text = string.IsNullOrWhiteSpace(value) ? null : value.Trim();
        if (text?.Length > maxLength)
        {
            errors[name] = [$"At most {maxLength} characters."];
            return;
        }
        set(text);
    }

    private static void SetUrl(IReadOnlySet<string> given, string name, string? value, bool development, Action<string?> set, Dictionary<string, string[]> errors)
    {
        if (!given.Contains(name))
        {
            return;
        }
        if (value is null)
        {
            set(null);
            return;
        }
        if (WebhookUrlValidator.Validate(value, development) is { } problem)
        {
            errors[name] = [problem];
            return;
        }
        set(value.Trim());
    }

    private static void SetFlag(IReadOnlySet<string> given, string name, bool? value, Action<bool> set, Dictionary<string, string[]> errors)
    {
        if (!given.Contains(name))
        {
            return;
        }
        if (value is not { } flag)
        {
            errors[name] = ["true or false; it cannot be removed."];
            return;
        }
        set(flag);
    }

    private Task LockNumbersAsync(CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({NumbersLock})", cancellationToken);

    /// <summary>Which of the business's numbers another active business has, said for the operator; null when none.</summary>
    private async Task<string?> FindClashAsync(Business business, CancellationToken cancellationToken)
    {
        if (!business.IsActive)
        {
            return null;
        }
        var numbers = business.PhoneNumbers().ToList();
        var owner = await db.Businesses.AsNoTracking()
            .Where(b => b.Id != business.Id && b.IsActive && (numbers.Contains(b.PhoneE164) || b.AdditionalPhoneNumbers.Any(n => numbers.Contains(n))))
            .OrderBy(b => b.Id)
            .FirstOrDefaultAsync(cancellationToken);
        return owner is null ? null : $"{numbers.First(owner.HasNumber)} belongs to business {owner.Id} ({owner.Name}); a number routes calls to one active business only.";
    }

    /// <summary>Runs the change in a transaction; a unique violation (a number taken behind the lock's back) is a clash too.</summary>
    private async Task<BusinessEdit> SaveNumbersSafelyAsync(Func<CancellationToken, Task<BusinessEdit>> work, CancellationToken cancellationToken)
    {
        try
        {
            return await db.InTransactionAsync(work, cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: UniqueViolation })
        {
            return new BusinessEdit(BusinessEditStatus.Conflict, Conflict: "a number of the business belongs to another active business");
        }
    }

    [GeneratedRegex("^[a-z]{2}$")]
    private static partial Regex LanguageCode();

    [LoggerMessage(1, LogLevel.Information, "Business {BusinessId} created with {NumberCount} phone number(s)")]
    private static partial void LogCreated(ILogger logger, int businessId, int numberCount);

    [LoggerMessage(2, LogLevel.Information, "Business {BusinessId} changed: {Fields}")]
    private static partial void LogUpdated(ILogger logger, int businessId, string fields);

    [LoggerMessage(3, LogLevel.Information, "Business {BusinessId} deactivated")]
    private static partial void LogDeactivated(ILogger logger, int businessId);
}
