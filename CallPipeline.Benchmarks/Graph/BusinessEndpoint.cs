using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace CallPipeline.Benchmarks.Graph;

/// <summary>
/// The benchmark business's webhook URL: notes when each call's <c>call.completed</c> webhook arrived (a Stopwatch
/// timestamp, the clock the callbacks were released by) and answers 200 at once, as a healthy endpoint does.
/// </summary>
public sealed class BusinessEndpoint
{
    public const string Path = "/business/webhooks";

    private readonly ConcurrentDictionary<string, long> _arrived = new();

    public async Task<IResult> ReceiveAsync(HttpRequest request)
    {
        var arrived = Stopwatch.GetTimestamp();
        using var body = await JsonDocument.ParseAsync(request.Body);
        if (body.RootElement.TryGetProperty("call_sid", out var callSid) && callSid.GetString() is { } sid)
        {
            _arrived.TryAdd(sid, arrived);
        }
        return Results.Ok();
    }

    /// <summary>When each call's webhook arrived, once all have; throws when one has not within the timeout.</summary>
    public async Task<IReadOnlyDictionary<string, long>> WaitForAsync(IReadOnlyCollection<string> callSids, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (callSids.Any(sid => !_arrived.ContainsKey(sid)))
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"{callSids.Count(sid => !_arrived.ContainsKey(sid))} of {callSids.Count} webhooks did not arrive within {timeout}.");
            }
            // Short: the wait is part of no measurement (arrivals are stamped as they come), but it paces the next release.
            await Task.Delay(5, cancellationToken);
        }
        return callSids.ToDictionary(sid => sid, sid => _arrived[sid]);
    }
}
