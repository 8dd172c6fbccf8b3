using System.Net.Http.Json;
using System.Text.Json;
using CallPipeline.Benchmarks.Graph;

namespace CallPipeline.Benchmarks.Pipeline;

/// <summary>Calls placed through the graph's call simulator (the Twilio double), as a developer places them (README).</summary>
public sealed class SimulatedCalls(BenchmarkGraph graph) : IDisposable
{
    public const string Caller = "+972541234567";

    private readonly HttpClient _http = new() { BaseAddress = graph.DevDoublesUrl, Timeout = TimeSpan.FromMinutes(2) };

    /// <summary>Places <paramref name="count"/> inbound calls with the same conversation, all at once; their CallSids.</summary>
    public async Task<IReadOnlyList<string>> PlaceAsync(int count, IReadOnlyList<ConversationLine> conversation, CancellationToken cancellationToken)
    {
        var request = new
        {
            from = Caller,
            to = BenchmarkBusiness.Number,
            direction = "inbound",
            conversation = conversation.Select(l => new { speaker = l.Speaker, text = l.Text, at = l.At }).ToList(),
        };
        return await Task.WhenAll(Enumerable.Range(0, count).Select(async _ =>
        {
            using var response = await _http.PostAsJsonAsync("/simulator/calls", request, cancellationToken);
            response.EnsureSuccessStatusCode();
            return (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("callSid").GetString()
                ?? throw new InvalidOperationException("The simulator returned no callSid.");
        }));
    }

    public void Dispose() => _http.Dispose();
}
