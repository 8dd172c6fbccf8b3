using CallPipeline.Hosting.ApplicationModel;
using CallPipeline.Hosting.Infrastructure;
using Microsoft.Extensions.Logging;

namespace CallPipeline.Hosting.Orchestration;

/// <summary>
/// Starts the graph in dependency order, each resource once what it waits for is healthy or completed, and stops it
/// in reverse order. A resource that fails to start fails the whole start.
/// </summary>
internal sealed class Orchestrator(
    DistributedApplicationBuilder builder,
    ResourceNotificationService notifications,
    ResourceLoggerService logs,
    ILogger logger) : IAsyncDisposable
{
    private static readonly TimeSpan InfrastructureStartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan ProjectStartTimeout = TimeSpan.FromSeconds(180);

    private readonly List<(IResource Resource, IAsyncDisposable Running)> _started = [];
    private readonly Lock _startedLock = new();
    private readonly Dictionary<IResource, Task> _startTasks = [];
    private readonly Dictionary<PostgresServerResource, PostgresInstance> _postgresServers = [];
    private readonly string _runId = Guid.NewGuid().ToString("N")[..10];
    private string? _dataRoot;
    private bool _ephemeral;

    public IReadOnlyList<IResource> Resources { get; } = ModelGraph.All(builder.Resources);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        CheckPrerequisites();

        var keptDirectory = builder.Configuration["AppHost:DataDirectory"];
        _ephemeral = string.IsNullOrEmpty(keptDirectory);
        _dataRoot = _ephemeral ? Path.Combine(Path.GetTempPath(), "callpipeline", _runId) : Path.GetFullPath(keptDirectory!);
        try
        {
            Directory.CreateDirectory(_dataRoot);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"The data directory {_dataRoot} cannot be used: {ex.Message}", ex);
        }
        // Endpoints first: a parameter's local default may be another resource's URL.
        AllocateEndpoints();
        ParameterResolver.Resolve(Resources.OfType<ParameterResource>(), builder.Configuration, _ephemeral ? null : _dataRoot);

        foreach (var resource in Resources.Where(r => r is not ParameterResource))
        {
            Publish(resource, s => s with { State = KnownResourceStates.NotStarted });
        }

        using var startFailed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        foreach (var resource in Resources.Where(r => r is not ParameterResource))
        {
            _startTasks[resource] = StartResourceAsync(resource, startFailed.Token);
        }

        var all = Task.WhenAll(_startTasks.Values);
        while (!all.IsCompleted)
        {
            var finished = await Task.WhenAny(_startTasks.Values.Where(t => !t.IsCompleted).Append(all));
            if (finished.IsFaulted)
            {
                await startFailed.CancelAsync();
            }
        }
        if (all.IsFaulted || all.IsCanceled)
        {
            var failures = _startTasks.Values.Where(t => t.IsFaulted).Select(t => t.Exception!.InnerException).OfType<ResourceFailedException>().ToList();
            cancellationToken.ThrowIfCancellationRequested();
            throw failures.FirstOrDefault() ?? (Exception?)all.Exception?.InnerException ?? new OperationCanceledException();
        }
    }

    public async Task StopAsync()
    {
        List<(IResource Resource, IAsyncDisposable Running)> started;
        lock (_startedLock)
        {
            started = [.. _started];
            _started.Clear();
        }
        started.Reverse();
        foreach (var (resource, running) in started)
        {
            Publish(resource, s => s with { State = KnownResourceStates.Stopping, IsHealthy = false });
            try
            {
                await running.DisposeAsync();
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Stopping {Resource} failed", resource.Name);
            }
            Publish(resource, s => KnownResourceStates.IsTerminal(s.State) ? s : s with { State = KnownResourceStates.Exited });
        }
        if (_ephemeral && _dataRoot is not null && Directory.Exists(_dataRoot))
        {
            try
            {
                Directory.Delete(_dataRoot, recursive: true);
            }
            catch (IOException ex)
            {
                logger.LogWarning("Could not remove {Directory}: {Message}", _dataRoot, ex.Message);
            }
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    private void CheckPrerequisites()
    {
        if (Resources.OfType<PostgresServerResource>().Any())
        {
            Prerequisites.FindPostgresBinDirectory();
        }
        if (Resources.OfType<RedisResource>().Any())
        {
            Prerequisites.FindOnPath("redis-server", "redis-server");
        }
        foreach (var required in Resources.SelectMany(r => r.Annotations.OfType<RequiredProgramAnnotation>()))
        {
            Prerequisites.FindOnPath(required.Program, required.Package);
        }
    }

    private void AllocateEndpoints()
    {
        var taken = new HashSet<int>();
        foreach (var endpoint in Resources.SelectMany(r => r.Annotations.OfType<EndpointAnnotation>()))
        {
            // Locally only plain endpoints are served; https is published for the Container Apps ingress.
            if (endpoint.Scheme == "https")
            {
                continue;
            }
            var port = endpoint.PreferredPort is { } preferred && !builder.Options.RandomizePorts && IsFree(preferred) && taken.Add(preferred)
                ? preferred
                : NextFreePort(taken);
            endpoint.Allocated = new AllocatedEndpoint("localhost", port, endpoint.Scheme);
        }
    }

    private static int NextFreePort(HashSet<int> taken)
    {
        while (true)
        {
            var port = PortAllocator.GetFreePort();
            if (taken.Add(port))
            {
                return port;
            }
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    private async Task StartResourceAsync(IResource resource, CancellationToken cancellationToken)
    {
        await Task.Yield();
        await WaitForDependenciesAsync(resource, cancellationToken);
        Publish(resource, s => s with { State = KnownResourceStates.Starting });
        try
        {
            switch (resource)
            {
                case PostgresServerResource postgres:
                    await StartPostgresAsync(postgres, cancellationToken);
                    break;
                case PostgresDatabaseResource database:
                    await CreateDatabaseAsync(database, cancellationToken);
                    break;
                case RedisResource redis:
                    await StartRedisAsync(redis, cancellationToken);
                    break;
                case ProjectResource project:
                    await StartProjectAsync(project, cancellationToken);
                    break;
                default:
                    throw new NotSupportedException($"Resources of type {resource.GetType().Name} cannot run locally.");
            }
        }
        catch (Exception ex) when (ex is not ResourceFailedException && !cancellationToken.IsCancellationRequested)
        {
            Publish(resource, s => s with { State = KnownResourceStates.FailedToStart, IsHealthy = false });
            throw new ResourceFailedException(resource.Name, ex.Message, logs.GetLines(resource.Name), ex);
        }
    }

    private async Task WaitForDependenciesAsync(IResource resource, CancellationToken cancellationToken)
    {
        var waits = resource.Annotations.OfType<WaitAnnotation>().ToList();
        if (resource is PostgresDatabaseResource database)
        {
            waits.Add(new WaitAnnotation(database.Parent, WaitType.WaitUntilHealthy));
        }
        if (waits.Count == 0)
        {
            return;
        }
        Publish(resource, s => s with { State = KnownResourceStates.Waiting });
        foreach (var wait in waits)
        {
            if (wait.WaitType == WaitType.WaitForCompletion)
            {
                var snapshot = await notifications.WaitForResourceAsync(wait.Resource.Name, s => KnownResourceStates.IsTerminal(s.State), cancellationToken);
                if (snapshot.ExitCode != wait.ExitCode)
                {
                    throw new DependencyFailedException($"{resource.Name} waits for {wait.Resource.Name} to complete, which ended {snapshot.State} with exit code {snapshot.ExitCode}.");
                }
            }
            else
            {
                var snapshot = await notifications.WaitForResourceAsync(wait.Resource.Name, s => s.IsHealthy || KnownResourceStates.IsTerminal(s.State), cancellationToken);
                if (!snapshot.IsHealthy)
                {
                    throw new DependencyFailedException($"{resource.Name} waits for {wait.Resource.Name}, which ended {snapshot.State}.");
                }
            }
        }
    }

    private async Task StartPostgresAsync(PostgresServerResource postgres, CancellationToken cancellationToken)
    {
        var port = postgres.PrimaryEndpoint.Endpoint.Allocated!.Port;
        var instance = new PostgresInstance(Path.Combine(_dataRoot!, postgres.Name), port, postgres.PasswordParameter.Value, _ephemeral, (line, error) => logs.Write(postgres.Name, line, error));
        Track(postgres, instance);
        lock (_startedLock)
        {
            _postgresServers[postgres] = instance;
        }
        await instance.StartAsync(cancellationToken);
        Publish(postgres, s => s with { State = KnownResourceStates.Running, Urls = [$"tcp://localhost:{port}"], ConnectionString = instance.ConnectionString });
        await WaitHealthyAsync(postgres, instance.IsHealthyAsync, instance.Exited!, InfrastructureStartTimeout, cancellationToken);
    }

    private async Task CreateDatabaseAsync(PostgresDatabaseResource database, CancellationToken cancellationToken)
    {
        PostgresInstance server;
        lock (_startedLock)
        {
            server = _postgresServers[database.Parent];
        }
        await server.EnsureDatabaseAsync(database.DatabaseName, cancellationToken);
        var connectionString = await database.ConnectionStringExpression.GetValueAsync(cancellationToken);
        Publish(database, s => s with { State = KnownResourceStates.Running, IsHealthy = true, ConnectionString = connectionString });
        logger.LogDebug("Database {Database} is ready", database.DatabaseName);
    }

    private async Task StartRedisAsync(RedisResource redis, CancellationToken cancellationToken)
    {
        var port = redis.PrimaryEndpoint.Endpoint.Allocated!.Port;
        var instance = new RedisInstance(Path.Combine(_dataRoot!, redis.Name), port, redis.PasswordParameter.Value, _ephemeral, (line, error) => logs.Write(redis.Name, line, error));
        Track(redis, instance);
        await instance.StartAsync(cancellationToken);
        Publish(redis, s => s with { State = KnownResourceStates.Running, Urls = [$"tcp://localhost:{port}"], ConnectionString = instance.ConnectionString });
        await WaitHealthyAsync(redis, instance.IsHealthyAsync, instance.Exited!, InfrastructureStartTimeout, cancellationToken);
    }

    private async Task StartProjectAsync(ProjectResource project, CancellationToken cancellationToken)
    {
        if (!File.Exists(project.Metadata.TargetPath))
        {
            throw new FileNotFoundException($"{project.Metadata.TargetPath} does not exist: build the solution first ('dotnet build').");
        }
        var environment = await ProjectEnvironment.BuildAsync(project, builder, _runId, Environment.GetEnvironmentVariables(), cancellationToken);
        var process = await Processes.ManagedProcess.StartAsync(
            "dotnet", [project.Metadata.TargetPath], Path.GetDirectoryName(project.Metadata.ProjectPath), environment,
            (line, error) => logs.Write(project.Name, line, error));
        Track(project, process);

        var urls = project.Annotations.OfType<EndpointAnnotation>().Where(e => e.Allocated is not null).Select(e => e.Allocated!.Url).ToList();
        Publish(project, s => s with { State = KnownResourceStates.Running, Urls = urls });
        _ = process.Exited.ContinueWith(exit => Publish(project, s => s with
        {
            State = exit.Result == 0 ? KnownResourceStates.Finished : KnownResourceStates.Exited,
            IsHealthy = false,
            ExitCode = exit.Result,
        }), TaskScheduler.Default);

        if (project.Annotations.OfType<HttpHealthCheckAnnotation>().FirstOrDefault() is { } check)
        {
            var endpoint = new EndpointReference(project, check.EndpointName).Url;
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            await WaitHealthyAsync(project, async ct =>
            {
                try
                {
                    using var response = await http.GetAsync(endpoint + check.Path, ct);
                    return response.IsSuccessStatusCode;
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
                {
                    return false;
                }
            }, process.Exited, ProjectStartTimeout, cancellationToken);
        }
        else if (!process.HasExited)
        {
            Publish(project, s => s.State == KnownResourceStates.Running ? s with { IsHealthy = true } : s);
        }

        if (IsAwaitedForCompletion(project))
        {
            var exitCode = await process.Exited.WaitAsync(cancellationToken);
            if (exitCode != 0)
            {
                throw new InvalidOperationException($"{project.Name} exited with code {exitCode}.");
            }
        }
    }

    private bool IsAwaitedForCompletion(IResource resource) =>
        Resources.Any(r => r.Annotations.OfType<WaitAnnotation>().Any(w => w.Resource == resource && w.WaitType == WaitType.WaitForCompletion));

    private async Task WaitHealthyAsync(IResource resource, Func<CancellationToken, Task<bool>> isHealthy, Task<int> exited, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            if (exited.IsCompleted)
            {
                throw new InvalidOperationException($"{resource.Name} exited with code {exited.Result} before it became healthy.");
            }
            if (await isHealthy(deadline.Token).ConfigureAwait(false))
            {
                Publish(resource, s => s with { IsHealthy = true });
                return;
            }
            if (deadline.IsCancellationRequested)
            {
                cancellationToken.ThrowIfCancellationRequested();
                throw new TimeoutException($"{resource.Name} did not become healthy within {timeout.TotalSeconds:0} s.");
            }
            await Task.WhenAny(exited, Task.Delay(250, deadline.Token).ContinueWith(_ => { }, TaskScheduler.Default));
        }
    }

    private void Track(IResource resource, IAsyncDisposable running)
    {
        lock (_startedLock)
        {
            _started.Add((resource, running));
        }
    }

    private void Publish(IResource resource, Func<ResourceSnapshot, ResourceSnapshot> update) =>
        notifications.Publish(resource.Name, update, ResourceTypeName(resource));

    private static string ResourceTypeName(IResource resource) => resource switch
    {
        PostgresServerResource => "Postgres",
        PostgresDatabaseResource => "PostgresDatabase",
        RedisResource => "Redis",
        ProjectResource => "Project",
        ParameterResource => "Parameter",
        _ => resource.GetType().Name,
    };
}

/// <summary>A resource that did not start, with its last output lines for the operator.</summary>
public sealed class ResourceFailedException(string resourceName, string reason, IReadOnlyList<ResourceLogLine> lastLines, Exception? inner = null)
    : Exception($"Resource '{resourceName}' failed to start: {reason}", inner)
{
    public string ResourceName { get; } = resourceName;

    public IReadOnlyList<ResourceLogLine> LastLines { get; } = lastLines.TakeLast(30).ToList();
}

/// <summary>A resource that did not start because one it waits for did not.</summary>
internal sealed class DependencyFailedException(string message) : Exception(message);
