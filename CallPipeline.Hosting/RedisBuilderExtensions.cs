using CallPipeline.Hosting.ApplicationModel;

namespace CallPipeline.Hosting;

public static class RedisBuilderExtensions
{
    /// <summary>
    /// A Redis server with a generated password parameter <c>{name}-password</c>, without special characters
    /// because StackExchange.Redis connection strings cannot carry commas.
    /// </summary>
    public static IResourceBuilder<RedisResource> AddRedis(this IDistributedApplicationBuilder builder, string name) =>
        builder.AddResource(new RedisResource(name, ParameterResourceBuilderExtensions.CreateGeneratedPassword($"{name}-password", special: false)));
}
