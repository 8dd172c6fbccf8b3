using System.Reflection;
using System.Runtime.InteropServices;
using CallPipeline.Hosting.ApplicationModel;
using CallPipeline.Hosting.Infrastructure;
using CallPipeline.Hosting.Orchestration;
using CallPipeline.Hosting.Publishing;
using Microsoft.Extensions.Logging;

namespace CallPipeline.Hosting;

/// <summary>The built graph: publishes its manifest, or runs every resource until Ctrl+C or SIGTERM.</summary>
public sealed class DistributedApplication : IAsyncDisposable
{
    private readonly DistributedApplicationBuilder _builder;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly Orchestrator _orchestrator;

    internal DistributedApplication(DistributedApplicationBuilder builder)
    {
        _builder = builder;
        _loggerFactory = LoggerFactory.Create(logging => logging
            .AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "HH:mm:ss ";
            })
            .SetMinimumLevel(LogLevel.Information));
        _logger = _loggerFactory.CreateLogger("CallPipeline.AppHost");
        _orchestrator = new Orchestrator(builder, ResourceNotifications, ResourceLogs, _logger);
    }

    public static IDistributedApplicationBuilder CreateBuilder(string[] args) =>
        new DistributedApplicationBuilder(args, Assembly.GetCallingAssembly(), Testing.DistributedApplicationTestingBuilder.PendingOptions ?? new DistributedApplicationOptions());

    public ResourceNotificationService ResourceNotifications { get; } = new();

    public ResourceLoggerService ResourceLogs { get; } = new();

    /// <summary>Every resource, including those only referenced (generated passwords).</summary>
    public IReadOnlyList<IResource> Resources => _orchestrator.Resources;

    public void Run() => RunAsync().GetAwaiter().GetResult();

    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        if (_builder.ExecutionContext.IsPublishMode)
        {
            Publish();
            return;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, RequestStop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, RequestStop);
        if (_builder.Options.WriteLogsToConsole)
        {
            ResourceLogs.LineWritten += ConsoleResourceLogWriter.Write;
        }

        try
        {
            await StartAsync(stop.Token);
            ResourceTable.Print(Console.Out, Resources, ResourceNotifications);
            if (_builder.Configuration["AppHost:StateFile"] is { Length: > 0 } stateFile)
            {
                StateFile.Write(stateFile, Resources, ResourceNotifications);
                _logger.LogInformation("Resource state written to {StateFile}", Path.GetFullPath(stateFile));
            }
            _logger.LogInformation("All resources are up. Press Ctrl+C to stop.");
            await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        catch (MissingPrerequisiteException ex)
        {
            Console.Error.WriteLine(ex.Message);
            Environment.ExitCode = 1;
        }
        catch (ResourceFailedException ex)
        {
            ReportFailure(ex);
            Environment.ExitCode = 1;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (InvalidOperationException ex)
        {
            _logger.LogError("{Message}", ex.Message);
            Environment.ExitCode = 1;
        }
        finally
        {
            _logger.LogInformation("Stopping resources");
            await StopAsync();
            _logger.LogInformation("Stopped");
            ResourceLogs.LineWritten -= ConsoleResourceLogWriter.Write;
        }

        void RequestStop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }

    /// <summary>Starts every resource and returns once all are healthy or completed.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default) => _orchestrator.StartAsync(cancellationToken);

    /// <summary>Stops every resource in reverse start order.</summary>
    public Task StopAsync() => _orchestrator.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _orchestrator.DisposeAsync();
        _loggerFactory.Dispose();
    }

    private void Publish()
    {
        var publisher = _builder.Configuration["Publishing:Publisher"];
        if (publisher != "manifest")
        {
            Console.Error.WriteLine($"Unknown publisher '{publisher}': the only publisher is 'manifest'.");
            Environment.ExitCode = 1;
            return;
        }
        var path = ManifestPublisher.ResolveOutputPath(_builder.Configuration["Publishing:OutputPath"] ?? "aspire-manifest.json");
        ManifestPublisher.Publish(_builder.Resources, path);
        Console.WriteLine($"Published manifest to: {path}");
    }

    private void ReportFailure(ResourceFailedException failure)
    {
        _logger.LogError("{Message}", failure.Message);
        if (failure.LastLines.Count > 0)
        {
            Console.Error.WriteLine($"Last output of {failure.ResourceName}:");
            foreach (var line in failure.LastLines)
            {
                Console.Error.WriteLine($"  {line.Text}");
            }
        }
    }
}
