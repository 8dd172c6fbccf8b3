using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using CallPipeline.Data.Entities;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace CallPipeline.Data;

/// <summary>
/// Stores a call's turns as one jsonb array, <c>[{"role": "caller", "start": 1.2, "end": 3.4, "text": "…"}]</c>, the
/// shape operators query in psql (<c>turns -&gt; 0 -&gt;&gt; 'role'</c>).
/// </summary>
public sealed class TranscriptTurnsConverter() : ValueConverter<List<TranscriptTurn>, string>(
    turns => JsonSerializer.Serialize(turns, Json),
    json => JsonSerializer.Deserialize<List<TranscriptTurn>>(json, Json) ?? new List<TranscriptTurn>())
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        // Hebrew stays readable in psql rather than \u escapes; the value is never embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Turns are records, so two lists are equal when their turns are, in order.</summary>
    public static readonly ValueComparer<List<TranscriptTurn>> Comparer = new(
        (a, b) => a == null ? b == null : b != null && a.SequenceEqual(b),
        turns => turns.Aggregate(0, (hash, turn) => HashCode.Combine(hash, turn)),
        turns => turns.ToList());
}
