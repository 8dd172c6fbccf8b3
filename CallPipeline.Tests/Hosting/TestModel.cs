using CallPipeline.Hosting;
using CallPipeline.Hosting.ApplicationModel;

namespace CallPipeline.Tests.Hosting;

/// <summary>Small models built in memory, without an AppHost entry point or processes.</summary>
internal static class TestModel
{
    public static DistributedApplicationBuilder CreateBuilder() =>
        new([], typeof(TestModel).Assembly, new DistributedApplicationOptions { RandomizePorts = true, WriteLogsToConsole = false });

    public static void Allocate(IDistributedApplicationBuilder builder, params (string Resource, int Port)[] ports)
    {
        foreach (var (resource, port) in ports)
        {
            foreach (var endpoint in builder.Resources.Single(r => r.Name == resource).Annotations.OfType<EndpointAnnotation>().Where(e => e.Scheme != "https"))
            {
                endpoint.Allocated = new AllocatedEndpoint("localhost", port, endpoint.Scheme);
            }
        }
    }

    public static void ResolveParameters(IDistributedApplicationBuilder builder, params (string Name, string Value)[] values)
    {
        foreach (var parameter in ModelGraph.All(builder.Resources).OfType<ParameterResource>())
        {
            parameter.SetValue(values.Single(v => v.Name == parameter.Name).Value);
        }
    }

    /// <summary>A web project: the voice gateway's project file, whose launch profile has an applicationUrl.</summary>
    public sealed class WebProject : IProjectMetadata
    {
        public string ProjectPath => Path.Combine(RepositoryPaths.Root, "CallPipeline.Voice", "CallPipeline.Voice.csproj");
        public string TargetPath => "unused.dll";
    }

    /// <summary>A project without endpoints: the migrator.</summary>
    public sealed class WorkerProject : IProjectMetadata
    {
        public string ProjectPath => Path.Combine(RepositoryPaths.Root, "CallPipeline.MigrationService", "CallPipeline.MigrationService.csproj");
        public string TargetPath => "unused.dll";
    }
}
