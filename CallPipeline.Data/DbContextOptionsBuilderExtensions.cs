using Microsoft.EntityFrameworkCore;

namespace CallPipeline.Data;

public static class DbContextOptionsBuilderExtensions
{
    /// <summary>Conventions every user of the model shares: services, migrator and design time.</summary>
    public static DbContextOptionsBuilder UseCallPipelineConventions(this DbContextOptionsBuilder options) =>
        options.UseSnakeCaseNamingConvention();
}
