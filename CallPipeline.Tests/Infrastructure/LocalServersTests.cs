using StackExchange.Redis;

namespace CallPipeline.Tests.Infrastructure;

/// <summary>The machine-binary Postgres and Redis resources the AppHost runs without a container engine.</summary>
[Collection(RedisOutageCollection.Name)]
[Trait("Category", "Infrastructure")]
public sealed class LocalServersTests(RedisOutageFixture infrastructure)
{
    [Fact]
    public async Task Redis_keeps_its_stream_entries_across_a_restart()
    {
        var stream = "local-servers-test:" + Guid.NewGuid().ToString("N");
        await using (var before = await ConnectAsync())
        {
            await before.GetDatabase().StreamAddAsync(stream, "job", "kept");
        }

        await infrastructure.StopRedisAsync();
        await infrastructure.StartRedisAsync();

        await using var after = await ConnectAsync();
        var entries = await after.GetDatabase().StreamRangeAsync(stream);
        Assert.Equal("kept", (string?)Assert.Single(entries)["job"]);
    }

    [Fact]
    public async Task Each_created_database_is_migrated_and_separate()
    {
        var first = await infrastructure.CreateDatabaseAsync();
        var second = await infrastructure.CreateDatabaseAsync();

        Assert.NotEqual(first, second);
        await using var connection = new Npgsql.NpgsqlConnection(first);
        await connection.OpenAsync();
        await using var migrations = new Npgsql.NpgsqlCommand("SELECT count(*) FROM \"__EFMigrationsHistory\"", connection);
        Assert.True((long)(await migrations.ExecuteScalarAsync())! > 0);
    }

    private async Task<ConnectionMultiplexer> ConnectAsync()
    {
        var options = ConfigurationOptions.Parse(infrastructure.RedisConnectionString);
        options.AbortOnConnectFail = false;
        return await ConnectionMultiplexer.ConnectAsync(options);
    }
}
