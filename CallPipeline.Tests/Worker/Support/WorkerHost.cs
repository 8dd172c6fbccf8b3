extern alias worker;

using CallPipeline.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CallPipeline.Tests.Worker.Support;

/// <summary>
/// The real worker service (its Program, AddApplicationServices and hosted services) against the test's Postgres, Redis and
/// fakes. Several may run at once as replicas, each a consumer of its own name.
/// </summary>
internal sealed class WorkerHost : IAsyncDisposable
{
    private readonly WebApplicationFactory<worker::Program> _factory;
    private bool _disposed;

    private WorkerHost(WebApplicationFactory<worker::Program> factory, CapturedLogs logs, string consumerName)
    {
        _factory = factory;
        Logs = logs;
        ConsumerName = consumerName;
    }

    public CapturedLogs Logs { get; }

    public string ConsumerName { get; }

    public IServiceProvider Services => _factory.Services;

    /// <summary>
    /// Until the reconciler has created the stream's group and finished the recovery pass that follows (on a fresh
    /// stream, as after a loss of Redis's data): a call recorded before that pass ends would be queued a second time.
    /// </summary>
    public Task WaitForStartupRecoveryAsync() =>
        Eventually.ReturnsAsync(
            () => Task.FromResult(Logs.Lines), lines => lines.Any(l => l.Contains("Recovery after Redis lost its data queued", StringComparison.Ordinal)),
            $"{ConsumerName} created its group and finished the recovery pass");

    public static WorkerHost Start(
        WorkerTestEnvironment environment, string consumerName, IReadOnlyDictionary<string, string>? overrides = null, Action<IServiceCollection>? services = null)
    {
        var settings = environment.Settings(consumerName);
        foreach (var (key, value) in overrides ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }
        var host = Start(settings, consumerName, services);
        environment.Hosts.Add(host);
        return host;
    }

    /// <summary>A worker with exactly these settings, e.g. pointed at another test's database, stream and doubles.</summary>
    public static WorkerHost Start(IReadOnlyDictionary<string, string> settings, string consumerName, Action<IServiceCollection>? services = null)
    {
        var logs = new CapturedLogs();
        var factory = new WebApplicationFactory<worker::Program>().WithWebHostBuilder(web =>
        {
            foreach (var (key, value) in settings)
            {
                web.UseSetting(key, value);
            }
            web.ConfigureLogging(logging => logging.AddProvider(logs));
            if (services is not null)
            {
                web.ConfigureTestServices(services);
            }
        });
        factory.StartServer();
        return new WorkerHost(factory, logs, consumerName);
    }

    public HttpClient CreateClient() => _factory.CreateClient();

    public async Task<(int Status, string Body)> HealthAsync()
    {
        using var client = CreateClient();
        using var response = await client.GetAsync("/health");
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Stops the host as a deployment would: running jobs are cancelled.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        await _factory.DisposeAsync();
    }
}
