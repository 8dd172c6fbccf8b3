using System.Reflection;
using CallPipeline.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;

namespace CallPipeline.Hosting;

public sealed class DistributedApplicationBuilder : IDistributedApplicationBuilder
{
    private static readonly Dictionary<string, string> SwitchMappings = new()
    {
        ["--publisher"] = "Publishing:Publisher",
        ["--output-path"] = "Publishing:OutputPath",
        ["--state-file"] = "AppHost:StateFile",
        ["--data-dir"] = "AppHost:DataDirectory",
    };

    private readonly List<IResource> _resources = [];

    internal DistributedApplicationBuilder(string[] args, Assembly appHostAssembly, DistributedApplicationOptions options)
    {
        Options = options;
        AppHostDirectory = appHostAssembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "AppHostProjectDirectory")?.Value
            ?? AppContext.BaseDirectory;
        EnvironmentName = Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? options.EnvironmentName ?? "Production";

        Configuration = new ConfigurationManager();
        Configuration.AddJsonFile(Path.Combine(AppHostDirectory, "appsettings.json"), optional: true);
        Configuration.AddJsonFile(Path.Combine(AppHostDirectory, $"appsettings.{EnvironmentName}.json"), optional: true);
        if (EnvironmentName == "Development")
        {
            Configuration.AddUserSecrets(appHostAssembly, optional: true);
        }
        Configuration.AddEnvironmentVariables();
        Configuration.AddCommandLine(args, SwitchMappings);
        Configuration.AddInMemoryCollection(options.ConfigurationOverrides);

        ExecutionContext = new DistributedApplicationExecutionContext(!string.IsNullOrEmpty(Configuration["Publishing:Publisher"]));
    }

    /// <summary>The builder handed to a test by <see cref="Testing.DistributedApplicationTestingBuilder"/> instead of running.</summary>
    internal static Action<DistributedApplicationBuilder>? TestingInterceptor { get; set; }

    internal DistributedApplicationOptions Options { get; }

    public ConfigurationManager Configuration { get; }

    public DistributedApplicationExecutionContext ExecutionContext { get; }

    public IReadOnlyList<IResource> Resources => _resources;

    public string AppHostDirectory { get; }

    public string EnvironmentName { get; }

    public IResourceBuilder<T> AddResource<T>(T resource) where T : IResource
    {
        if (_resources.Any(r => string.Equals(r.Name, resource.Name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new InvalidOperationException($"A resource named '{resource.Name}' already exists.");
        }
        _resources.Add(resource);
        return CreateResourceBuilder(resource);
    }

    public IResourceBuilder<T> CreateResourceBuilder<T>(T resource) where T : IResource => new ResourceBuilder<T>(this, resource);

    public DistributedApplication Build()
    {
        if (TestingInterceptor is { } interceptor)
        {
            TestingInterceptor = null;
            interceptor(this);
            throw new EntryPointInterceptedException();
        }
        return BuildCore();
    }

    internal DistributedApplication BuildCore() => new(this);
}

/// <summary>Unwinds the AppHost's entry point once a test has taken its builder.</summary>
internal sealed class EntryPointInterceptedException() : Exception("The AppHost builder was handed to a test.");

/// <summary>How the application is built: set by tests, empty for a normal run.</summary>
public sealed class DistributedApplicationOptions
{
    public string? EnvironmentName { get; set; } = "Development";

    /// <summary>Configuration applied last, e.g. <c>Parameters:operator-api-key</c>.</summary>
    public Dictionary<string, string?> ConfigurationOverrides { get; } = [];

    /// <summary>Allocate every port at random instead of the launch profiles' ports, so graphs can run side by side.</summary>
    public bool RandomizePorts { get; set; }

    /// <summary>Write resource logs to the console with a name prefix (run mode) or only keep them (tests).</summary>
    public bool WriteLogsToConsole { get; set; } = true;
}
