using System.Globalization;
using CallPipeline.Twilio.Validation;
using Microsoft.Extensions.Primitives;

namespace CallPipeline.Voice.Calls;

/// <summary>
/// Reads the fields of one of Twilio's form posts within what Twilio sends and what the call log can store: SIDs in
/// Twilio's format (two letters and 32 hex digits), text within its column's length. What does not fit is collected in
/// <see cref="Problem"/>, which names fields and limits but never values, for a 400 that does no work.
/// </summary>
internal sealed class TwilioFormFields(IFormCollection form)
{
    private readonly List<string> _problems = [];

    /// <summary>Null when every field read so far was acceptable; otherwise why not.</summary>
    public string? Problem => _problems.Count == 0 ? null : string.Join("; ", _problems) + ".";

    /// <summary>A SID with the given prefix (CA for calls, RE for recordings), or null when absent or malformed (a problem when required).</summary>
    public string? Sid(string name, string prefix, bool required = false)
    {
        var value = Value(form[name]);
        if (value is null)
        {
            if (required)
            {
                _problems.Add($"{name} is required");
            }
            return null;
        }
        if (!TwilioSidFormat.IsValid(value, prefix))
        {
            _problems.Add($"{name} is not a Twilio SID ({prefix} and {TwilioSidFormat.HexDigitCount} hex digits)");
            return null;
        }
        return value;
    }

    /// <summary>The trimmed value, null when absent or blank; longer than <paramref name="maxLength"/> is a problem.</summary>
    public string? Text(string name, int maxLength, bool required = false)
    {
        var value = Value(form[name]);
        if (value is null && required)
        {
            _problems.Add($"{name} is required");
        }
        if (value is { Length: var length } && length > maxLength)
        {
            _problems.Add($"{name} is longer than {maxLength} characters");
            return null;
        }
        return value;
    }

    /// <summary>An integer, or null when absent or not one (Twilio's numbers are informational; a bad one is ignored).</summary>
    public int? Integer(string name) =>
        int.TryParse(Value(form[name]), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number : null;

    /// <summary>Twilio sends RFC 2822 dates ("Fri, 14 Oct 2016 21:56:34 +0000"); anything else is ignored.</summary>
    public DateTimeOffset? Timestamp(string name) =>
        DateTimeOffset.TryParse(Value(form[name]), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var timestamp) ? timestamp.ToUniversalTime() : null;

    private static string? Value(StringValues values) => string.IsNullOrWhiteSpace(values.ToString()) ? null : values[0]?.Trim();
}
