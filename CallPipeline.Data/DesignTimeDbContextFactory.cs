using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace CallPipeline.Data;

/// <summary>Lets dotnet-ef build the model without a running database (migrations are generated, not applied, at design time).</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<CallPipelineDbContext>
{
    public CallPipelineDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<CallPipelineDbContext>();
        options.UseNpgsql("Host=localhost;Database=callsdb").UseCallPipelineConventions();
        return new CallPipelineDbContext(options.Options);
    }
}
