using CallPipeline.Data;

namespace CallPipeline.Worker.Extensions;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<CallPipelineDbContext>("callsdb", options => options.UseCallPipelineConventions());
        builder.AddRedisClient("cache");
    }
}
