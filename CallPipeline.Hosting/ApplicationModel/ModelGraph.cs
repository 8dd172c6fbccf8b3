namespace CallPipeline.Hosting.ApplicationModel;

internal static class ModelGraph
{
    /// <summary>
    /// Resources reached through references but never added to the model (the generated passwords), in the order
    /// first met. The manifest writes them after the model's own resources, as Aspire does.
    /// </summary>
    public static List<IResource> ReferencedOnly(IReadOnlyList<IResource> resources)
    {
        var known = resources.ToHashSet();
        var found = new List<IResource>();
        foreach (var resource in resources)
        {
            foreach (var provider in DirectProviders(resource))
            {
                Visit(provider);
            }
        }
        return found;

        void Visit(IManifestExpressionProvider provider)
        {
            var referenced = provider switch
            {
                IResource r => r,
                EndpointReference e => e.Resource,
                EndpointReferenceExpression e => e.Endpoint.Resource,
                _ => null,
            };
            if (referenced is not null && known.Add(referenced))
            {
                found.Add(referenced);
                foreach (var nested in DirectProviders(referenced))
                {
                    Visit(nested);
                }
            }
            if (provider is ReferenceExpression expression)
            {
                foreach (var nested in expression.ValueProviders)
                {
                    Visit(nested);
                }
            }
        }
    }

    private static IEnumerable<IManifestExpressionProvider> DirectProviders(IResource resource)
    {
        if (resource is IResourceWithConnectionString withConnectionString)
        {
            yield return withConnectionString.ConnectionStringExpression;
        }
        foreach (var environment in resource.Annotations.OfType<EnvironmentAnnotation>())
        {
            yield return environment.Value;
        }
    }

    /// <summary>The model's resources followed by those only referenced.</summary>
    public static List<IResource> All(IReadOnlyList<IResource> resources) => [.. resources, .. ReferencedOnly(resources)];
}
