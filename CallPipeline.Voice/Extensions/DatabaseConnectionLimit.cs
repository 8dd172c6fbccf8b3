using System.Data.Common;
using Npgsql;

namespace CallPipeline.Voice.Extensions;

/// <summary>The cap on the gateway's Postgres connection pool (<see cref="VoiceOptions.MaxDatabaseConnections"/>).</summary>
public static class DatabaseConnectionLimit
{
    private static readonly HashSet<string> PoolSizeKeywords = new(["MaximumPoolSize", "MaxPoolSize"], StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The connection string with <c>Maximum Pool Size</c> set to <paramref name="maxConnections"/>, unless it sets a
    /// pool size itself: an operator's connection string has the last word.
    /// </summary>
    public static string? Apply(string? connectionString, int maxConnections)
    {
        if (string.IsNullOrEmpty(connectionString))
        {
            return connectionString;
        }
        // Npgsql's own builder answers every keyword it knows as present, so the keywords written are read generically.
        var written = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (written.Keys.Cast<string>().Any(keyword => PoolSizeKeywords.Contains(keyword.Replace(" ", "", StringComparison.Ordinal))))
        {
            return connectionString;
        }
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = maxConnections };
        return builder.ConnectionString;
    }
}
