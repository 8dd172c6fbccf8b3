namespace CallPipeline.Tests.Graph;

/// <summary>
/// Tests that start a whole graph of their own (the AppHost as a process, the quick benchmark's graph) run one after
/// another, beside the shared <see cref="GraphCollection"/>: on a 2-core CI machine, three graphs starting at once kept
/// the shared graph's last resource from answering its health check within the start budget.
/// </summary>
[CollectionDefinition(Name)]
public sealed class OwnGraphCollection
{
    public const string Name = "Own graph";
}
