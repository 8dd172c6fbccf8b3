using CallPipeline.AppHost.Demo;
using CallPipeline.AppHost.Extensions;
using CallPipeline.AppHost.LocalRun;
using CallPipeline.Hosting.LocalServers;

var builder = DistributedApplication.CreateBuilder(LocalRunSwitches.Normalize(args));
var localRun = LocalRunOptions.From(builder.Configuration);
if (localRun.DataDirectoryProblem() is { } problem)
{
    Console.Error.WriteLine(problem);
    return 1;
}

var operatorApiKey = builder.AddParameter("operator-api-key", new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true, persist: true);

// Postgres and Redis: Aspire's containers when publishing or when a container runtime answers; otherwise the same
// resources from the machine's binaries (README, "Where Postgres and Redis run").
IResourceBuilder<IResourceWithConnectionString> callsDb;
IResourceBuilder<IResourceWithConnectionString> cache;
if (builder.ChooseServerHosting() == ServerHosting.Containers)
{
    var postgres = builder.AddPostgres("postgres").WithKeptData(localRun.DataDirectory);
    callsDb = postgres.AddDatabase("callsdb");
    cache = builder.AddRedis("cache").WithKeptData(localRun.DataDirectory).WithAppendOnlyFile();
}
else
{
    var data = ServerDataDirectory.For(localRun.DataDirectory);
    callsDb = builder.AddLocalPostgres("postgres", data).AddDatabase("callsdb");
    cache = builder.AddLocalRedis("cache", data);
    builder.RemoveWhenStopped(data);
}

// Services
var migrator = builder.AddProject<Projects.CallPipeline_MigrationService>("migrator")
    .WithReference(callsDb)
    .WaitFor(callsDb);

var voice = builder.AddProject<Projects.CallPipeline_Voice>("voice")
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health")
    .WithReference(callsDb)
    .WithReference(cache)
    .WithEnvironment("OperatorApi__ApiKey", operatorApiKey)
    // Socket continuations run on the socket engine's thread instead of a hop to the thread pool per frame: a third to
    // two thirds less CPU a media frame, no worse frame lag (CallPipeline.Voice's README). Only an environment variable sets it.
    .WithEnvironment("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1")
    .WaitFor(cache)
    .WaitForCompletion(migrator);

var worker = builder.AddProject<Projects.CallPipeline_Worker>("worker")
    .WithHttpHealthCheck("/health")
    .WithRequiredCommand("ffmpeg")
    .WithReference(callsDb)
    .WithReference(cache)
    .WaitFor(cache)
    .WaitForCompletion(migrator);

// The operator console: its own sign-in (the operator key), calling the gateway's operator API through service discovery.
var console = builder.AddProject<Projects.CallPipeline_OperatorConsole>("console")
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health")
    .WithReference(voice)
    .WaitFor(voice);

// Twilio and OpenAI: the real services when their credentials are configured (always when publishing); otherwise,
// in local runs, the dev doubles stand in with generated credentials.
var externalServices = builder.AddExternalServices(voice, worker);

// Local runs only; never published.
if (builder.ExecutionContext.IsRunMode)
{
    var receiver = builder.AddWebhookReceiver("webhook-receiver", demoBusinessSeeder: migrator);
    var devDoubles = builder.AddDevDoubles("devdoubles", externalServices, voice, worker);
    builder.AddLocalRunReport(localRun);
    builder.AddDemoCall(localRun, voice, console, receiver, devDoubles, operatorApiKey);
}

builder.Build().Run();
return 0;
