using CallPipeline.Data;
using CallPipeline.Tests.Support;
using CallPipeline.Webhooks.Dispatch;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CallPipeline.Tests.Webhooks.Support;

/// <summary>
/// A dispatcher registered exactly as the worker registers it (service defaults, the Npgsql context, AddWebhookDispatcher),
/// with a tiny retry schedule. Several may run against one database, as replicas do.
/// </summary>
internal sealed class DispatcherHost : IAsyncDisposable
{
    private readonly IHost _host;

    private DispatcherHost(IHost host, CapturedLogs logs)
    {
        _host = host;
        Logs = logs;
    }

    public CapturedLogs Logs { get; }

    public IServiceProvider Services => _host.Services;

    /// <summary>Builds the host without starting its dispatcher (used to play a dispatcher by hand). A null override removes a default setting.</summary>
    public static DispatcherHost Create(string connectionString, IReadOnlyDictionary<string, string?>? overrides = null, string environment = "Development")
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = environment, DisableDefaults = true });
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:callsdb"] = connectionString,
            ["Webhooks:Dispatcher:RetrySchedule:0"] = "00:00:00.200",
            ["Webhooks:Dispatcher:RetrySchedule:1"] = "00:00:00.200",
            ["Webhooks:Dispatcher:RetrySchedule:2"] = "00:00:00.200",
            ["Webhooks:Dispatcher:RetrySchedule:3"] = "00:00:00.200",
            ["Webhooks:Dispatcher:Jitter"] = "0",
            ["Webhooks:Dispatcher:Timeout"] = "00:00:20",
            ["Webhooks:Dispatcher:ClaimLease"] = "00:01:00",
            ["Webhooks:Dispatcher:PollInterval"] = "00:00:00.100",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            // A null override removes the setting (e.g. to shorten the retry schedule).
            if (value is null)
            {
                settings.Remove(key);
            }
            else
            {
                settings[key] = value;
            }
        }
        builder.Configuration.AddInMemoryCollection(settings);

        var logs = new CapturedLogs();
        builder.Logging.AddProvider(logs);
        builder.AddServiceDefaults();
        builder.AddNpgsqlDbContext<CallPipelineDbContext>("callsdb", configureDbContextOptions: options => options.UseCallPipelineConventions());
        builder.AddWebhookDispatcher();
        return new DispatcherHost(builder.Build(), logs);
    }

    public static async Task<DispatcherHost> StartAsync(string connectionString, IReadOnlyDictionary<string, string?>? overrides = null, string environment = "Development")
    {
        var host = Create(connectionString, overrides, environment);
        await host._host.StartAsync();
        return host;
    }

    /// <summary>A dispatcher's store and sender, for tests that act out part of a dispatcher's work.</summary>
    public (WebhookDeliveryStore Store, WebhookSender Sender, IServiceScope Scope) Parts()
    {
        var scope = _host.Services.CreateScope();
        return (scope.ServiceProvider.GetRequiredService<WebhookDeliveryStore>(), scope.ServiceProvider.GetRequiredService<WebhookSender>(), scope);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _host.StopAsync(timeout.Token);
        _host.Dispose();
    }
}
