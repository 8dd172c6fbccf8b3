using CallPipeline.Hosting.ApplicationModel;

namespace CallPipeline.Hosting.Testing;

/// <summary>Reaching a started graph's resources from a test, with Aspire.Hosting.Testing's method names.</summary>
public static class DistributedApplicationHostingTestingExtensions
{
    public static HttpClient CreateHttpClient(this DistributedApplication app, string resourceName, string? endpointName = null) =>
        new() { BaseAddress = app.GetEndpoint(resourceName, endpointName) };

    public static Uri GetEndpoint(this DistributedApplication app, string resourceName, string? endpointName = null)
    {
        var resource = app.Resources.SingleOrDefault(r => r.Name == resourceName) ?? throw new ArgumentException($"No resource named '{resourceName}'.", nameof(resourceName));
        var endpoints = resource.Annotations.OfType<EndpointAnnotation>().Where(e => e.Allocated is not null).ToList();
        var endpoint = endpointName is null
            ? endpoints.FirstOrDefault(e => e.Name == "http") ?? endpoints.FirstOrDefault()
            : endpoints.FirstOrDefault(e => e.Name == endpointName);
        return new Uri(endpoint?.Allocated?.Url ?? throw new InvalidOperationException($"Resource '{resourceName}' has no allocated endpoint '{endpointName ?? "http"}'; has the application started?"));
    }

    public static async ValueTask<string?> GetConnectionStringAsync(this DistributedApplication app, string resourceName, CancellationToken cancellationToken = default)
    {
        var resource = app.Resources.OfType<IResourceWithConnectionString>().SingleOrDefault(r => r.Name == resourceName)
            ?? throw new ArgumentException($"No resource named '{resourceName}' has a connection string.", nameof(resourceName));
        return await resource.ConnectionStringExpression.GetValueAsync(cancellationToken);
    }
}
