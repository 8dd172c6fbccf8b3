using CallPipeline.Chaos.Graph;

namespace CallPipeline.Chaos.Faults;

/// <summary>One kind of fault the run injects into the graph.</summary>
public interface IChaosFault
{
    /// <summary>Its name in the report's tables.</summary>
    string Kind { get; }

    /// <summary>Injects the fault and returns once the part is back (started again, resumed, healthy, faults lifted).</summary>
    Task<FaultOutcome> InjectAsync(ChaosGraph graph, CancellationToken cancellationToken);
}

/// <summary>What happened, in a sentence, and for a killed resource the state the AppHost's state file showed while it was down.</summary>
public sealed record FaultOutcome(string Detail, string? StateFileWhileDown = null);
