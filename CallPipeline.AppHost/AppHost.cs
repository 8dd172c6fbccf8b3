using CallPipeline.AppHost.Extensions;
using CallPipeline.Hosting;

var builder = DistributedApplication.CreateBuilder(args);

// Secrets and settings: user secrets or Parameters__<name>. Local runs without Twilio or OpenAI credentials use the dev doubles.
var twilioAccountSid = builder.AddParameter("twilio-account-sid", secret: true);
var twilioAuthToken = builder.AddParameter("twilio-auth-token", secret: true);
var publicBaseUrl = builder.AddParameter("voice-public-base-url");
var openAiApiKey = builder.AddParameter("openai-api-key", secret: true);
var openAiEndpoint = builder.AddParameter("openai-endpoint", defaultValue: "https://api.openai.com/v1");
var operatorApiKey = builder.AddParameter("operator-api-key", secret: true, generate: new(MinLength: 32, Special: false));

// Infrastructure
var postgres = builder.AddPostgres("postgres");
var callsDb = postgres.AddDatabase("callsdb");
var cache = builder.AddRedis("cache");

// Services
var migrator = builder.AddProject<Projects.CallPipeline_MigrationService>("migrator")
    .WithReference(callsDb)
    .WaitFor(callsDb);

var voice = builder.AddProject<Projects.CallPipeline_Voice>("voice")
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health")
    .WithReference(callsDb)
    .WithReference(cache)
    .WithEnvironment("Twilio__AccountSid", twilioAccountSid)
    .WithEnvironment("Twilio__AuthToken", twilioAuthToken)
    .WithEnvironment("Voice__PublicBaseUrl", publicBaseUrl)
    .WithEnvironment("OperatorApi__ApiKey", operatorApiKey)
    .WaitFor(cache)
    .WaitForCompletion(migrator);

var worker = builder.AddProject<Projects.CallPipeline_Worker>("worker")
    .WithHttpHealthCheck("/health")
    .WithRequiredProgram("ffmpeg", package: "ffmpeg")
    .WithReference(callsDb)
    .WithReference(cache)
    .WithEnvironment("Twilio__AccountSid", twilioAccountSid)
    .WithEnvironment("Twilio__AuthToken", twilioAuthToken)
    .WithEnvironment("OpenAI__ApiKey", openAiApiKey)
    .WithEnvironment("OpenAI__Endpoint", openAiEndpoint)
    .WaitFor(cache)
    .WaitForCompletion(migrator);

// Local runs only; never published.
if (builder.ExecutionContext.IsRunMode)
{
    builder.AddWebhookReceiver("webhook-receiver", demoBusinessSeeder: migrator);
    builder.AddDevDoublesWhereCredentialsAreMissing("devdoubles", voice, worker, twilioAccountSid, twilioAuthToken, publicBaseUrl, openAiApiKey);
}

builder.Build().Run();
