using System.Text.Json;
using CallPipeline.Hosting.ApplicationModel;

namespace CallPipeline.Hosting.Publishing;

/// <summary>
/// Writes the model as the Aspire 9.x manifest (schema aspire-8.0): resource order, env order, bindings and
/// expressions as Aspire's ManifestPublishingContext writes them, so azd deploys it to Azure Container Apps.
/// </summary>
internal static class ManifestPublisher
{
    public const string SchemaUrl = "https://json.schemastore.org/aspire-8.0.json";

    /// <summary>An output path ending in .json is the file; otherwise aspire-manifest.json inside that folder.</summary>
    public static string ResolveOutputPath(string outputPath)
    {
        var full = Path.GetFullPath(outputPath);
        return full.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? full : Path.Combine(full, "aspire-manifest.json");
    }

    public static void Publish(IReadOnlyList<IResource> resources, string manifestPath)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(manifestPath)!);
        using var stream = File.Create(manifestPath);
        Write(resources, Path.GetDirectoryName(manifestPath)!, stream);
    }

    public static void Write(IReadOnlyList<IResource> resources, string manifestDirectory, Stream stream)
    {
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        writer.WriteStartObject();
        writer.WriteString("$schema", SchemaUrl);
        writer.WriteStartObject("resources");
        foreach (var resource in ModelGraph.All(resources))
        {
            writer.WriteStartObject(resource.Name);
            WriteResource(writer, resource, manifestDirectory);
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteResource(Utf8JsonWriter writer, IResource resource, string manifestDirectory)
    {
        switch (resource)
        {
            case ParameterResource parameter:
                WriteParameter(writer, parameter);
                break;
            case PostgresServerResource postgres:
                writer.WriteString("type", "container.v0");
                writer.WriteString("connectionString", postgres.ConnectionStringExpression.ValueExpression);
                writer.WriteString("image", PostgresServerResource.Image);
                writer.WriteStartObject("env");
                writer.WriteString("POSTGRES_HOST_AUTH_METHOD", "scram-sha-256");
                writer.WriteString("POSTGRES_INITDB_ARGS", "--auth-host=scram-sha-256 --auth-local=scram-sha-256");
                writer.WriteString("POSTGRES_USER", PostgresServerResource.UserName);
                writer.WriteString("POSTGRES_PASSWORD", postgres.PasswordParameter.ValueExpression);
                writer.WriteEndObject();
                WriteBindings(writer, postgres);
                break;
            case PostgresDatabaseResource database:
                writer.WriteString("type", "value.v0");
                writer.WriteString("connectionString", database.ConnectionStringExpression.ValueExpression);
                break;
            case RedisResource redis:
                writer.WriteString("type", "container.v0");
                writer.WriteString("connectionString", redis.ConnectionStringExpression.ValueExpression);
                writer.WriteString("image", RedisResource.Image);
                writer.WriteString("entrypoint", "/bin/sh");
                writer.WriteStartArray("args");
                writer.WriteStringValue("-c");
                writer.WriteStringValue("redis-server --requirepass $REDIS_PASSWORD");
                writer.WriteEndArray();
                writer.WriteStartObject("env");
                writer.WriteString("REDIS_PASSWORD", redis.PasswordParameter.ValueExpression);
                writer.WriteEndObject();
                WriteBindings(writer, redis);
                break;
            case ProjectResource project:
                WriteProject(writer, project, manifestDirectory);
                break;
            default:
                writer.WriteString("error", "This resource does not support generation in the manifest.");
                break;
        }
    }

    private static void WriteParameter(Utf8JsonWriter writer, ParameterResource parameter)
    {
        writer.WriteString("type", "parameter.v0");
        writer.WriteString("value", $"{{{parameter.Name}.inputs.value}}");
        writer.WriteStartObject("inputs");
        writer.WriteStartObject("value");
        writer.WriteString("type", "string");
        if (parameter.Secret)
        {
            writer.WriteBoolean("secret", true);
        }
        if (parameter.Generate is { } generate)
        {
            writer.WriteStartObject("default");
            writer.WriteStartObject("generate");
            writer.WriteNumber("minLength", generate.MinLength);
            if (!generate.Special)
            {
                writer.WriteBoolean("special", false);
            }
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        else if (parameter.DefaultValue is { } defaultValue)
        {
            writer.WriteStartObject("default");
            writer.WriteString("value", defaultValue);
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteProject(Utf8JsonWriter writer, ProjectResource project, string manifestDirectory)
    {
        writer.WriteString("type", "project.v0");
        writer.WriteString("path", Path.GetRelativePath(manifestDirectory, project.Metadata.ProjectPath).Replace('\\', '/'));
        writer.WriteStartObject("env");
        writer.WriteString("OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EXCEPTION_LOG_ATTRIBUTES", "true");
        writer.WriteString("OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EVENT_LOG_ATTRIBUTES", "true");
        writer.WriteString("OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY", "in_memory");
        var endpoints = project.Annotations.OfType<EndpointAnnotation>().ToList();
        if (endpoints.Any(e => e.Name == "http"))
        {
            writer.WriteString("ASPNETCORE_FORWARDEDHEADERS_ENABLED", "true");
            writer.WriteString("HTTP_PORTS", $"{{{project.Name}.bindings.http.targetPort}}");
        }
        foreach (var environment in project.Annotations.OfType<EnvironmentAnnotation>())
        {
            writer.WriteString(environment.Name, environment.Value.ValueExpression);
        }
        writer.WriteEndObject();
        if (endpoints.Count > 0)
        {
            WriteBindings(writer, project);
        }
    }

    private static void WriteBindings(Utf8JsonWriter writer, IResource resource)
    {
        writer.WriteStartObject("bindings");
        foreach (var endpoint in resource.Annotations.OfType<EndpointAnnotation>())
        {
            writer.WriteStartObject(endpoint.Name);
            writer.WriteString("scheme", endpoint.Scheme);
            writer.WriteString("protocol", "tcp");
            writer.WriteString("transport", endpoint.Transport);
            // A project's default http/https endpoints leave the target port to the deployment tool.
            if (endpoint.TargetPort is { } targetPort)
            {
                writer.WriteNumber("targetPort", targetPort);
            }
            if (endpoint.IsExternal)
            {
                writer.WriteBoolean("external", true);
            }
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    }
}
