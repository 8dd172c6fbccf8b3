namespace CallPipeline.Tests.Infrastructure;

/// <summary>Tests that need real Postgres and Redis share one <see cref="InfrastructureFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class InfrastructureCollection : ICollectionFixture<InfrastructureFixture>
{
    public const string Name = "Infrastructure";
}
