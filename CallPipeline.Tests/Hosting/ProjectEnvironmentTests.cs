using CallPipeline.Hosting;
using CallPipeline.Hosting.ApplicationModel;
using CallPipeline.Hosting.Orchestration;

namespace CallPipeline.Tests.Hosting;

/// <summary>Services get Aspire's environment variables, so they run unchanged under a real Aspire AppHost.</summary>
public sealed class ProjectEnvironmentTests
{
    [Fact]
    public async Task A_project_gets_connection_strings_service_urls_and_telemetry_names_as_Aspire_names_them()
    {
        var builder = TestModel.CreateBuilder();
        var postgres = builder.AddPostgres("postgres");
        var db = postgres.AddDatabase("callsdb");
        var cache = builder.AddRedis("cache");
        var receiver = builder.AddProject<TestModel.WebProject>("webhook-receiver");
        var voice = builder.AddProject<TestModel.WebProject>("voice").WithReference(db).WithReference(cache).WithReference(receiver);
        TestModel.Allocate(builder, ("postgres", 5432), ("cache", 6379), ("webhook-receiver", 7001), ("voice", 7000));
        TestModel.ResolveParameters(builder, ("postgres-password", "pg-secret"), ("cache-password", "redis-secret"));

        var environment = await ProjectEnvironment.BuildAsync(voice.Resource, builder, "run1", new Dictionary<string, string>(), CancellationToken.None);

        Assert.Equal("Host=localhost;Port=5432;Username=postgres;Password=pg-secret;Database=callsdb", environment["ConnectionStrings__callsdb"]);
        Assert.Equal("localhost:6379,password=redis-secret", environment["ConnectionStrings__cache"]);
        Assert.Equal("http://localhost:7001", environment["services__webhook-receiver__http__0"]);
        Assert.False(environment.ContainsKey("services__webhook-receiver__https__0"), "https endpoints are not served locally");
        Assert.Equal("voice", environment["OTEL_SERVICE_NAME"]);
        Assert.StartsWith("service.instance.id=", environment["OTEL_RESOURCE_ATTRIBUTES"]);
        Assert.Equal("http://localhost:7000", environment["ASPNETCORE_URLS"]);
        Assert.Equal("Development", environment["ASPNETCORE_ENVIRONMENT"]);
        Assert.Equal("in_memory", environment["OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY"]);
    }

    [Fact]
    public async Task The_AppHosts_own_urls_and_environment_do_not_leak_into_services()
    {
        var builder = TestModel.CreateBuilder();
        var worker = builder.AddProject<TestModel.WorkerProject>("worker");
        TestModel.Allocate(builder);
        var appHostEnvironment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = "http://localhost:1",
            ["DOTNET_ENVIRONMENT"] = "Staging",
            ["PATH"] = "/usr/bin",
        };

        var environment = await ProjectEnvironment.BuildAsync(worker.Resource, builder, "run1", appHostEnvironment, CancellationToken.None);

        Assert.False(environment.ContainsKey("ASPNETCORE_URLS"), "a project without endpoints got the AppHost's URLs");
        Assert.Equal("Development", environment["DOTNET_ENVIRONMENT"]);
        Assert.Equal("/usr/bin", environment["PATH"]);
    }

    [Fact]
    public void Manifest_expressions_name_bindings_connection_strings_and_parameter_values()
    {
        var builder = TestModel.CreateBuilder();
        var postgres = builder.AddPostgres("pg");
        var db = postgres.AddDatabase("voicedb");
        var cache = builder.AddRedis("cache");
        var voice = builder.AddProject<TestModel.WebProject>("voice");

        Assert.Equal("Host={pg.bindings.tcp.host};Port={pg.bindings.tcp.port};Username=postgres;Password={pg-password.value}", postgres.Resource.ConnectionStringExpression.ValueExpression);
        Assert.Equal("{pg.connectionString};Database=voicedb", db.Resource.ConnectionStringExpression.ValueExpression);
        Assert.Equal("{cache.bindings.tcp.host}:{cache.bindings.tcp.port},password={cache-password.value}", cache.Resource.ConnectionStringExpression.ValueExpression);
        Assert.Equal("{voice.bindings.http.url}", voice.GetEndpoint("http").ValueExpression);
    }
}
