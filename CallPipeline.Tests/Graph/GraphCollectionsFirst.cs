using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestCollectionOrderer("CallPipeline.Tests.Graph.GraphCollectionsFirst", "CallPipeline.Tests")]

namespace CallPipeline.Tests.Graph;

/// <summary>
/// Starts the collections that run whole graphs before the rest. xUnit starts only as many tests at once as it has
/// threads, and the "Own graph" collection is the suite's longest chain (AppHost processes, then the quick benchmark):
/// queued behind unit tests it started up to two and a half minutes late and ended the run alone.
/// </summary>
public sealed class GraphCollectionsFirst : ITestCollectionOrderer
{
    private static readonly string[] First = [OwnGraphCollection.Name, GraphCollection.Name];

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections.OrderBy(Rank).ThenBy(collection => collection.UniqueID);

    private static int Rank(ITestCollection collection) =>
        Array.IndexOf(First, collection.DisplayName) is var index and >= 0 ? index : First.Length;
}
