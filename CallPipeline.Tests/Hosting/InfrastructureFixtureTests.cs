using CallPipeline.Tests.Infrastructure;
using Npgsql;
using StackExchange.Redis;

namespace CallPipeline.Tests.Hosting;

[Collection(InfrastructureCollection.Name)]
[Trait("Category", "Infrastructure")]
public sealed class InfrastructureFixtureTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public async Task Each_created_database_is_migrated_and_separate()
    {
        var first = await infrastructure.CreateDatabaseAsync();
        var second = await infrastructure.CreateDatabaseAsync();

        await ExecuteAsync(first, "INSERT INTO businesses (name, phone_e164, region, language, webhooks_enabled, is_active, created_at, updated_at) VALUES ('a', '+972000', 'IL', 'he', false, true, now(), now())");

        Assert.Equal(1L, await ScalarAsync(first, "SELECT count(*) FROM businesses"));
        Assert.Equal(0L, await ScalarAsync(second, "SELECT count(*) FROM businesses"));
    }

    [Fact]
    public async Task Redis_comes_back_on_the_same_address_after_an_outage()
    {
        var options = ConfigurationOptions.Parse(infrastructure.RedisConnectionString);
        options.AbortOnConnectFail = false;
        await using var redis = await ConnectionMultiplexer.ConnectAsync(options);
        await redis.GetDatabase().PingAsync();

        await infrastructure.StopRedisAsync();
        await Assert.ThrowsAnyAsync<RedisException>(() => redis.GetDatabase().PingAsync());

        await infrastructure.StartRedisAsync();
        await WaitForAsync(async () =>
        {
            try
            {
                await redis.GetDatabase().PingAsync();
                return true;
            }
            catch (RedisException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(30));
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (!await condition())
        {
            await Task.Delay(200, cts.Token);
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
