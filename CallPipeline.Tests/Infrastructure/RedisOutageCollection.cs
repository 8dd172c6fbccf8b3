namespace CallPipeline.Tests.Infrastructure;

/// <summary>
/// The classes that stop or flush Redis: one at a time, on a <see cref="RedisOutageFixture"/> of their own, beside the
/// classes on the shared servers.
/// </summary>
[CollectionDefinition(Name)]
public sealed class RedisOutageCollection : ICollectionFixture<RedisOutageFixture>
{
    public const string Name = "Redis outages";
}
