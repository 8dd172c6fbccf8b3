using System.Collections.Concurrent;

namespace CallPipeline.DevDoubles.Twilio.Calls;

/// <summary>Every call the double has carried, by CallSid.</summary>
public sealed class SimulatedCalls
{
    private readonly ConcurrentDictionary<string, SimulatedCall> _bySid = new(StringComparer.Ordinal);

    public void Add(SimulatedCall call) => _bySid[call.CallSid] = call;

    public SimulatedCall? Find(string callSid) => _bySid.GetValueOrDefault(callSid);

    public IReadOnlyList<SimulatedCall> NewestFirst() => [.. _bySid.Values.OrderByDescending(c => c.CreatedAt)];
}
