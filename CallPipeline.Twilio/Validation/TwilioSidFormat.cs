using System.Buffers;

namespace CallPipeline.Twilio.Validation;

/// <summary>Twilio's resource ids: a two-letter prefix (CA for calls, RE for recordings, MZ for streams) and 32 hex digits.</summary>
public static class TwilioSidFormat
{
    public const int HexDigitCount = 32;

    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdefABCDEF");

    public static bool IsValid(string? value, string prefix) =>
        value is not null
        && value.Length == prefix.Length + HexDigitCount
        && value.StartsWith(prefix, StringComparison.Ordinal)
        && !value.AsSpan(prefix.Length).ContainsAnyExcept(HexDigits);
}
