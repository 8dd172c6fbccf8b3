using System.Reflection;
using CallPipeline.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;

namespace CallPipeline.Hosting.Testing;

/// <summary>
/// Builds the AppHost's real model for a test, as Aspire.Hosting.Testing does: runs the AppHost's entry point up to
/// <c>Build()</c>, takes the builder, and lets the test adjust it before building and starting it.
/// </summary>
public static class DistributedApplicationTestingBuilder
{
    private static readonly SemaphoreSlim Gate = new(1, 1);

    internal static DistributedApplicationOptions? PendingOptions { get; private set; }

    public static Task<IDistributedApplicationTestingBuilder> CreateAsync<TEntryPoint>(CancellationToken cancellationToken = default)
        where TEntryPoint : IProjectMetadata, new() =>
        CreateAsync<TEntryPoint>([], null, cancellationToken);

    public static async Task<IDistributedApplicationTestingBuilder> CreateAsync<TEntryPoint>(
        string[] args, Action<DistributedApplicationOptions>? configureOptions, CancellationToken cancellationToken = default)
        where TEntryPoint : IProjectMetadata, new()
    {
        var assembly = Assembly.Load(Path.GetFileNameWithoutExtension(new TEntryPoint().ProjectPath));
        var entryPoint = assembly.EntryPoint ?? throw new InvalidOperationException($"{assembly.GetName().Name} has no entry point.");
        var options = new DistributedApplicationOptions { RandomizePorts = true, WriteLogsToConsole = false };
        configureOptions?.Invoke(options);

        await Gate.WaitAsync(cancellationToken);
        try
        {
            DistributedApplicationBuilder? captured = null;
            PendingOptions = options;
            DistributedApplicationBuilder.TestingInterceptor = builder => captured = builder;
            try
            {
                entryPoint.Invoke(null, entryPoint.GetParameters().Length == 0 ? [] : [args]);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is EntryPointInterceptedException)
            {
            }
            return new TestingBuilder(captured ?? throw new InvalidOperationException("The AppHost's entry point never called Build()."));
        }
        finally
        {
            PendingOptions = null;
            DistributedApplicationBuilder.TestingInterceptor = null;
            Gate.Release();
        }
    }

    private sealed class TestingBuilder(DistributedApplicationBuilder inner) : IDistributedApplicationTestingBuilder
    {
        public ConfigurationManager Configuration => inner.Configuration;
        public DistributedApplicationExecutionContext ExecutionContext => inner.ExecutionContext;
        public IReadOnlyList<IResource> Resources => inner.Resources;
        public string AppHostDirectory => inner.AppHostDirectory;
        public string EnvironmentName => inner.EnvironmentName;

        public IResourceBuilder<T> AddResource<T>(T resource) where T : IResource => inner.AddResource(resource);

        public IResourceBuilder<T> CreateResourceBuilder<T>(T resource) where T : IResource => inner.CreateResourceBuilder(resource);

        public DistributedApplication Build() => inner.BuildCore();

        public Task<DistributedApplication> BuildAsync(CancellationToken cancellationToken = default) => Task.FromResult(inner.BuildCore());
    }
}

public interface IDistributedApplicationTestingBuilder : IDistributedApplicationBuilder
{
    Task<DistributedApplication> BuildAsync(CancellationToken cancellationToken = default);
}
