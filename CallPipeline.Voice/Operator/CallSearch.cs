using System.Globalization;
using CallPipeline.Data;
using CallPipeline.Data.Entities;

namespace CallPipeline.Voice.Operator;

/// <summary>
/// The filters of <c>GET /api/calls</c>, combined with AND; null is not filtered on. Each one arrives as the query
/// string's text and is parsed here rather than bound by the framework, so a bad value is a 400 naming its parameter
/// (a failed binding is a bare 400); an empty value counts as absent, as a console's empty search box sends it.
/// </summary>
public sealed record CallSearch(string? Number, string? CallSid, int? BusinessId, PipelineStatus? Status, DateTimeOffset? Since, DateTimeOffset? Until)
{
    public const int MinNumberDigits = 3;

    /// <summary>The statuses as the API writes them (snake_case), so a value read off a call list searches for it.</summary>
    private static readonly Dictionary<string, PipelineStatus> Statuses = Enum.GetValues<PipelineStatus>()
        .ToDictionary(s => SnakeCaseEnumConverter<PipelineStatus>.ToSnakeCase(s.ToString()), StringComparer.OrdinalIgnoreCase);

    /// <summary>ISO 8601 as people write it: a date, or a date and time to the minute, second or fraction, with Z, an offset or neither.</summary>
    private static readonly string[] IsoFormats = ["yyyy-MM-dd", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"];

    /// <summary>Reads the query's filters; each refused one is added to <paramref name="errors"/> by its parameter's name.</summary>
    public static CallSearch Parse(
        string? number, string? callSid, string? businessId, string? status, string? since, string? until, Dictionary<string, string[]> errors)
    {
        string? digits = null;
        if (Given(number) is { } numberText)
        {
            // Only digits and '+' count, so "+972 54-123-4567" finds the E.164 "+972541234567" the call log stores; a '+'
            // a client left unencoded arrives as a space and is dropped, which still finds it.
            digits = new string([.. numberText.Where(c => char.IsAsciiDigit(c) || c == '+')]);
            if (digits.Count(char.IsAsciiDigit) < MinNumberDigits)
            {
                errors["number"] = [$"number has at least {MinNumberDigits} digits."];
            }
        }
        int? business = null;
        if (Given(businessId) is { } businessText)
        {
            if (int.TryParse(businessText, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                business = id;
            }
            else
            {
                errors["businessId"] = ["businessId is a business's id, a whole number."];
            }
        }
        PipelineStatus? pipelineStatus = null;
        if (Given(status) is { } statusText)
        {
            if (Statuses.TryGetValue(statusText, out var parsed))
            {
                pipelineStatus = parsed;
            }
            else
            {
                errors["status"] = [$"status is one of {string.Join(", ", Statuses.Keys)}."];
            }
        }
        var from = Time("since", since, errors);
        var to = Time("until", until, errors);
        if (from >= to)
        {
            errors["until"] = ["until is later than since."];
        }
        return new CallSearch(digits, Given(callSid), business, pipelineStatus, from, to);
    }

    /// <summary>The calls that match, as a query Postgres runs whole (string containment, comparisons, no client evaluation).</summary>
    public IQueryable<CallLog> Apply(IQueryable<CallLog> calls)
    {
        if (Number is { } number)
        {
            calls = calls.Where(c => c.FromNumber!.Contains(number) || c.ToNumber!.Contains(number));
        }
        if (CallSid is { } callSid)
        {
            calls = calls.Where(c => c.CallSid == callSid);
        }
        if (BusinessId is { } businessId)
        {
            calls = calls.Where(c => c.BusinessId == businessId);
        }
        if (Status is { } status)
        {
            calls = calls.Where(c => c.PipelineStatus == status);
        }
        if (Since is { } since)
        {
            calls = calls.Where(c => c.StartedAt >= since);
        }
        if (Until is { } until)
        {
            calls = calls.Where(c => c.StartedAt < until);
        }
        return calls;
    }

    private static string? Given(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>
    /// An ISO 8601 date or time (not any format the culture reads: 12/01/2026 would mean a month to some and a day to
    /// others); one without an offset is UTC. Converted to UTC, since Npgsql writes only offset 0 to timestamptz and
    /// would refuse "+02:00" with an exception, a 500.
    /// </summary>
    private static DateTimeOffset? Time(string name, string? value, Dictionary<string, string[]> errors)
    {
        if (Given(value) is not { } text)
        {
            return null;
        }
        if (DateTimeOffset.TryParseExact(text, IsoFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return at.ToUniversalTime();
        }
        errors[name] = [$"{name} is an ISO 8601 time, such as 2026-12-01T09:00:00Z."];
        return null;
    }
}
