namespace CallPipeline.Hosting.ApplicationModel;

/// <summary>Something whose value is known only when the application runs (a port, a password).</summary>
public interface IValueProvider
{
    ValueTask<string?> GetValueAsync(CancellationToken cancellationToken = default);
}

/// <summary>Something written into the manifest as an expression such as <c>{cache.connectionString}</c>.</summary>
public interface IManifestExpressionProvider
{
    string ValueExpression { get; }
}
