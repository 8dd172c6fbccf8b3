using CallPipeline.Hosting.ApplicationModel;

namespace CallPipeline.Hosting;

public static class ProjectResourceBuilderExtensions
{
    /// <summary>
    /// A project of the solution. A project whose launch profile has an applicationUrl is a web project: it gets an
    /// http endpoint (served locally) and an https endpoint (published for Container Apps ingress).
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddProject<TProject>(this IDistributedApplicationBuilder builder, string name)
        where TProject : IProjectMetadata, new()
    {
        var project = new ProjectResource(name, new TProject());
        var urls = project.LaunchProfile?.ApplicationUrls ?? [];
        if (urls.Count > 0)
        {
            var http = urls.FirstOrDefault(u => u.Scheme == "http");
            project.Annotations.Add(new EndpointAnnotation("http", "http", "http") { PreferredPort = http?.Port });
            project.Annotations.Add(new EndpointAnnotation("https", "https", "http"));
        }
        return builder.AddResource(project);
    }
}
