using CallPipeline.Hosting.Processes;
using StackExchange.Redis;

namespace CallPipeline.Hosting.Infrastructure;

/// <summary>
/// A private redis-server on one loopback port with a password. The password goes in a config file readable only by
/// its owner, never on the command line where ps would show it.
/// </summary>
internal sealed class RedisInstance(string dataRoot, int port, string password, bool ephemeral, Action<string, bool> onLine) : IAsyncDisposable
{
    private ManagedProcess? _process;

    public int Port => port;

    public string ConnectionString => $"localhost:{port},password={password}";

    public Task<int>? Exited => _process?.Exited;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var redisServer = Prerequisites.FindOnPath("redis-server", "redis-server");
        Directory.CreateDirectory(dataRoot);
        var configFile = Path.Combine(dataRoot, "redis.conf");
        var persistence = ephemeral ? "save \"\"\nappendonly no" : "save 60 1\nappendonly yes";
        var config = $"""
            port {port}
            bind 127.0.0.1
            requirepass {password}
            dir {dataRoot}
            {persistence}
            """;
        await File.WriteAllTextAsync(configFile, config, cancellationToken);
        File.SetUnixFileMode(configFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        _process = await ManagedProcess.StartAsync(redisServer, [configFile], dataRoot, new Dictionary<string, string?>(), onLine);
    }

    public async Task<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        try
        {
            var options = ConfigurationOptions.Parse(ConnectionString);
            options.ConnectTimeout = 2000;
            options.AbortOnConnectFail = true;
            await using var connection = await ConnectionMultiplexer.ConnectAsync(options);
            await connection.GetDatabase().PingAsync().WaitAsync(cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Stops the server but keeps its configuration, so <see cref="StartAsync"/> brings it back on the same port.</summary>
    public async Task StopAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
            _process = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (ephemeral)
        {
            try
            {
                Directory.Delete(dataRoot, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
