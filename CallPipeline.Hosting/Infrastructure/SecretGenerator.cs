using System.Security.Cryptography;

namespace CallPipeline.Hosting.Infrastructure;

internal static class SecretGenerator
{
    private const string Lower = "abcdefghijklmnopqrstuvwxyz";
    private const string Upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const string Numeric = "0123456789";
    // Only characters that are safe in connection strings, URLs and shells.
    private const string Special = "-_.~";

    /// <summary>A random value with at least one of each enabled character class, like Aspire's generated parameters.</summary>
    public static string Generate(int minLength = 22, bool special = true)
    {
        var classes = special ? new[] { Lower, Upper, Numeric, Special } : [Lower, Upper, Numeric];
        var all = string.Concat(classes);
        var chars = new char[minLength];
        for (var i = 0; i < chars.Length; i++)
        {
            var pool = i < classes.Length ? classes[i] : all;
            chars[i] = pool[RandomNumberGenerator.GetInt32(pool.Length)];
        }
        RandomNumberGenerator.Shuffle(chars.AsSpan());
        return new string(chars);
    }
}
