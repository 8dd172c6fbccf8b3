using Microsoft.Extensions.Options;

namespace CallPipeline.DevDoubles.OpenAi.Faults;

/// <summary>The faults in force, configured ones first, each consumed by the requests it matches.</summary>
public sealed class OpenAiFaultInjector
{
    private readonly Lock _gate = new();
    private readonly List<ActiveFault> _faults = [];

    public OpenAiFaultInjector(IOptions<OpenAiDoubleOptions> options)
    {
        foreach (var fault in options.Value.Double.Faults)
        {
            Add(fault);
        }
    }

    public void Add(OpenAiFault fault)
    {
        lock (_gate)
        {
            _faults.Add(new ActiveFault(fault, fault.Count));
        }
    }

    /// <summary>The faults still in force, with how many requests each will still affect (0: unlimited).</summary>
    public IReadOnlyList<OpenAiFault> List()
    {
        lock (_gate)
        {
            return [.. _faults.Select(active => active.Fault with { Count = active.Remaining })];
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _faults.Clear();
        }
    }

    /// <summary>The first fault matching this request, consuming one of its uses; null when none applies.</summary>
    public OpenAiFault? Take(string endpoint, string? model)
    {
        lock (_gate)
        {
            var match = _faults.FirstOrDefault(active => active.Matches(endpoint, model));
            if (match is null)
            {
                return null;
            }
            if (match.Remaining > 0 && --match.Remaining == 0)
            {
                _faults.Remove(match);
            }
            return match.Fault;
        }
    }

    private sealed class ActiveFault(OpenAiFault fault, int remaining)
    {
        public OpenAiFault Fault { get; } = fault;

        public int Remaining { get; set; } = remaining;

        public bool Matches(string endpoint, string? model) =>
            (string.IsNullOrEmpty(Fault.Endpoint) || string.Equals(Fault.Endpoint, endpoint, StringComparison.OrdinalIgnoreCase))
            && (string.IsNullOrEmpty(Fault.Model) || string.Equals(Fault.Model, model, StringComparison.Ordinal));
    }
}
