using System.Collections;
using CallPipeline.Hosting.ApplicationModel;

namespace CallPipeline.Hosting.Orchestration;

/// <summary>The environment a project gets in run mode, following Aspire's conventions (see aspire.md §3).</summary>
internal static class ProjectEnvironment
{
    /// <summary>The AppHost's own values of these must not leak into the services.</summary>
    private static readonly string[] NotInherited = ["ASPNETCORE_URLS", "DOTNET_LAUNCH_PROFILE", "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT"];

    public static async Task<Dictionary<string, string?>> BuildAsync(
        ProjectResource project, DistributedApplicationBuilder builder, string runId, IDictionary inherited, CancellationToken cancellationToken)
    {
        var environment = new Dictionary<string, string?>();
        foreach (DictionaryEntry entry in inherited)
        {
            environment[(string)entry.Key] = (string?)entry.Value;
        }
        foreach (var name in NotInherited)
        {
            environment.Remove(name);
        }

        environment["OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EXCEPTION_LOG_ATTRIBUTES"] = "true";
        environment["OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EVENT_LOG_ATTRIBUTES"] = "true";
        environment["OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY"] = "in_memory";
        environment["OTEL_SERVICE_NAME"] = project.Name;
        environment["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={project.Name}-{runId}";
        // Telemetry goes to a collector only when one is configured; there is no dashboard here.
        if (builder.Configuration["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] is { Length: > 0 } otlpEndpoint)
        {
            environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlpEndpoint;
            environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc";
        }

        var http = project.Annotations.OfType<EndpointAnnotation>().FirstOrDefault(e => e.Name == "http" && e.Allocated is not null);
        if (http is not null)
        {
            environment["ASPNETCORE_URLS"] = http.Allocated!.Url;
        }
        if (project.LaunchProfile is { } profile)
        {
            environment["DOTNET_LAUNCH_PROFILE"] = profile.Name;
            foreach (var (name, value) in profile.EnvironmentVariables)
            {
                environment[name] = value;
            }
        }
        environment["LOGGING__CONSOLE__FORMATTERNAME"] = "simple";
        // One line per log entry, so an operator can grep the AppHost's output by CallSid.
        environment["LOGGING__CONSOLE__FORMATTEROPTIONS__SINGLELINE"] = "true";

        foreach (var annotation in project.Annotations.OfType<EnvironmentAnnotation>())
        {
            if (ReferencesUnallocatedEndpoint(annotation.Value))
            {
                continue;
            }
            environment[annotation.Name] = await annotation.Value.GetValueAsync(cancellationToken);
        }
        return environment;
    }

    /// <summary>https endpoints exist only in the manifest; their service-discovery entries are skipped locally.</summary>
    private static bool ReferencesUnallocatedEndpoint(ReferenceExpression expression) =>
        expression.ValueProviders.Any(p => p switch
        {
            EndpointReference e => e.Endpoint.Allocated is null,
            EndpointReferenceExpression e => e.Endpoint.Endpoint.Allocated is null,
            _ => false,
        });
}
