extern alias voice;

using CallPipeline.Data;
using CallPipeline.Tests.Infrastructure;
using CallPipeline.Tests.Voice.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using voice::CallPipeline.Voice;
using voice::CallPipeline.Voice.Extensions;

namespace CallPipeline.Tests.Voice;

/// <summary>The gateway's Postgres pool is capped at <c>Voice:MaxDatabaseConnections</c> unless its connection string says otherwise.</summary>
public sealed class DatabaseConnectionLimitTests
{
    private const string Unsized = "Host=db.example;Port=5432;Database=callsdb;Username=voice;Password=secret";

    [Fact]
    public void A_connection_string_without_a_pool_size_gets_the_cap()
    {
        var capped = new NpgsqlConnectionStringBuilder(DatabaseConnectionLimit.Apply(Unsized, 20));

        Assert.Equal(20, capped.MaxPoolSize);
        Assert.Equal(("db.example", "callsdb", "voice", "secret"), (capped.Host, capped.Database, capped.Username, capped.Password));
    }

    [Theory]
    [InlineData("Maximum Pool Size=7")]
    [InlineData("MaxPoolSize=7")]
    [InlineData("maximum pool size=7")]
    public void A_pool_size_in_the_connection_string_wins_over_the_cap(string poolSize)
    {
        var kept = new NpgsqlConnectionStringBuilder(DatabaseConnectionLimit.Apply($"{Unsized};{poolSize}", 20));

        Assert.Equal(7, kept.MaxPoolSize);
    }

    [Fact]
    public void No_connection_string_stays_none_for_the_client_integration_to_report()
    {
        Assert.Null(DatabaseConnectionLimit.Apply(null, 20));
    }

    [Fact]
    public void A_cap_below_one_stops_the_gateway_at_start_naming_the_setting()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration["Voice:MaxDatabaseConnections"] = "0";

        var error = Assert.Throws<InvalidOperationException>(builder.AddApplicationServices);

        Assert.Equal("Voice:MaxDatabaseConnections must be at least 1; it is 0.", error.Message);
    }
}

/// <summary>The cap as the gateway registers it: its DbContext connects with the capped pool.</summary>
[Trait("Category", "Infrastructure")]
public sealed class DatabaseConnectionLimitHostTests(InfrastructureFixture infrastructure) : IClassFixture<InfrastructureFixture>
{
    [Fact]
    public async Task The_gateway_connects_with_at_most_twenty_connections_by_default_and_with_the_setting_when_given()
    {
        await using var byDefault = await VoiceHost.StartAsync(infrastructure);
        await using var configured = await VoiceHost.StartAsync(infrastructure, new Dictionary<string, string> { ["Voice:MaxDatabaseConnections"] = "5" });

        Assert.Equal(VoiceOptions.DefaultMaxDatabaseConnections, MaxPoolSize(byDefault));
        Assert.Equal(20, VoiceOptions.DefaultMaxDatabaseConnections);
        Assert.Equal(5, MaxPoolSize(configured));
    }

    private static int MaxPoolSize(VoiceHost voice)
    {
        using var scope = voice.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CallPipelineDbContext>();
        return new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString()).MaxPoolSize;
    }
}
