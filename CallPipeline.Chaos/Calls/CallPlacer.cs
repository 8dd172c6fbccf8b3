using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using CallPipeline.Chaos.Graph;

namespace CallPipeline.Chaos.Calls;

/// <summary>
/// Places the run's calls through the Twilio double's call simulator, at a steady rate: each is an inbound call to the
/// demo business that Twilio's double carries to the voice gateway like Twilio does (webhook, media stream, recording,
/// status callbacks).
/// </summary>
public sealed class CallPlacer(ChaosGraph graph, int calls, double callsPerSecond, TextWriter progress)
{
    public const string DemoBusinessNumber = "+97235550100";

    /// <summary>"Hello, I need a plumber in Tel Aviv tomorrow morning."</summary>
    private const string CallerText = "שלום, אני צריך אינסטלטור בתל אביב מחר בבוקר.";

    private readonly List<PlacedCall> _placed = [];
    private readonly List<string> _failures = [];
    private readonly Lock _lock = new();

    public IReadOnlyList<string> Failures
    {
        get
        {
            lock (_lock)
            {
                return [.. _failures];
            }
        }
    }

    /// <summary>Every call placed so far.</summary>
    public IReadOnlyList<string> Placed => PlacedBefore(DateTimeOffset.MaxValue);

    /// <summary>The calls placed before <paramref name="instant"/>.</summary>
    public IReadOnlyList<string> PlacedBefore(DateTimeOffset instant)
    {
        lock (_lock)
        {
            return [.. _placed.Where(c => c.At < instant).Select(c => c.CallSid)];
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var simulator = graph.Client("devdoubles");
        var started = Stopwatch.GetTimestamp();
        var placing = new List<Task>();
        for (var i = 0; i < calls; i++)
        {
            var due = TimeSpan.FromSeconds(i / callsPerSecond) - Stopwatch.GetElapsedTime(started);
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, cancellationToken);
            }
            placing.Add(PlaceAsync(simulator, i, cancellationToken));
            if ((i + 1) % 50 == 0)
            {
                progress.WriteLine(FormattableString.Invariant($"{Stopwatch.GetElapsedTime(started).TotalSeconds,6:0.0} s  {i + 1} calls placed"));
            }
        }
        await Task.WhenAll(placing);
    }

    /// <summary>One call outside the run's count, placed before the clock starts so no service meets its first call (and its JIT) under a fault.</summary>
    public async Task<string> PlaceWarmUpCallAsync(CancellationToken cancellationToken)
    {
        using var simulator = graph.Client("devdoubles");
        return await PlaceAsync(simulator, "+972540000000", cancellationToken) ?? throw new InvalidOperationException("The simulator refused the warm-up call.");
    }

    private async Task PlaceAsync(HttpClient simulator, int index, CancellationToken cancellationToken)
    {
        try
        {
            if (await PlaceAsync(simulator, "+9725" + (41000000 + index).ToString(CultureInfo.InvariantCulture), cancellationToken) is not { } callSid)
            {
                Fail($"call {index}: the simulator refused it");
                return;
            }
            lock (_lock)
            {
                _placed.Add(new PlacedCall(callSid, DateTimeOffset.UtcNow));
            }
        }
        catch (HttpRequestException ex)
        {
            Fail($"call {index}: {ex.Message}");
        }
    }

    /// <summary>The new call's CallSid, or null when the simulator refused it.</summary>
    private static async Task<string?> PlaceAsync(HttpClient simulator, string from, CancellationToken cancellationToken)
    {
        using var response = await simulator.PostAsJsonAsync(
            "/simulator/calls", new { from, to = DemoBusinessNumber, direction = "inbound", text = CallerText }, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }
        var placed = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        return placed.GetProperty("callSid").GetString();
    }

    private void Fail(string reason)
    {
        lock (_lock)
        {
            _failures.Add(reason);
        }
    }

    private sealed record PlacedCall(string CallSid, DateTimeOffset At);
}
