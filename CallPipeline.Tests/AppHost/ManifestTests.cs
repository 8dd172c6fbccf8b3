using System.Text.Json.Nodes;
using Json.Schema;

namespace CallPipeline.Tests.AppHost;

/// <summary>The manifest Aspire's own publisher writes for azd, committed at the root so graph changes show in review.</summary>
[Trait("Category", "Graph")]
public sealed class ManifestTests
{
    private static readonly string CommittedManifestPath = Path.Combine(RepositoryPaths.Root, "aspire-manifest.json");
    private static readonly Lazy<Task<string>> Generated = new(GenerateAsync);

    [Fact]
    public async Task The_committed_manifest_is_what_the_AppHost_publishes()
    {
        var generated = await Generated.Value;

        Assert.True(
            File.ReadAllText(CommittedManifestPath) == generated,
            "aspire-manifest.json is out of date: run 'dotnet run --project CallPipeline.AppHost -- --publisher manifest --output-path ../aspire-manifest.json' and commit it.");
    }

    [Fact]
    public void The_committed_manifest_validates_against_the_current_Aspire_manifest_schema()
    {
        var schema = JsonSchema.FromText(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "AppHost", "aspire-manifest.schema.json")));

        var result = schema.Evaluate(JsonNode.Parse(File.ReadAllText(CommittedManifestPath)), new EvaluationOptions { OutputFormat = OutputFormat.List });

        Assert.True(result.IsValid, string.Join('\n', result.Details?.Where(d => d.HasErrors).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")) ?? []));
    }

    [Fact]
    public async Task The_manifest_publishes_Aspires_containers_secret_parameters_and_no_local_only_resource()
    {
        var resources = JsonNode.Parse(await Generated.Value)!["resources"]!.AsObject();

        foreach (var secret in new[] { "twilio-account-sid", "twilio-auth-token", "openai-api-key", "operator-api-key", "postgres-password", "cache-password" })
        {
            Assert.Equal("parameter.v0", (string?)resources[secret]?["type"]);
            Assert.True((bool?)resources[secret]!["inputs"]!["value"]!["secret"], $"{secret} is not secret");
        }
        Assert.Equal("container.v0", (string?)resources["postgres"]!["type"]);
        Assert.StartsWith("docker.io/library/postgres:", (string?)resources["postgres"]!["image"]);
        Assert.Equal("container.v0", (string?)resources["cache"]!["type"]);
        Assert.Equal("value.v0", (string?)resources["callsdb"]!["type"]);
        Assert.DoesNotContain("devdoubles", resources.Select(r => r.Key));
        Assert.DoesNotContain("webhook-receiver", resources.Select(r => r.Key));
        Assert.DoesNotContain("demo-webhook-secret", resources.Select(r => r.Key));
        Assert.True((bool?)resources["voice"]!["bindings"]!["http"]!["external"]);
        Assert.Null(resources["worker"]!["bindings"]!["http"]!["external"]);
        Assert.Equal("project.v0", (string?)resources["console"]!["type"]);
        Assert.True((bool?)resources["console"]!["bindings"]!["http"]!["external"]);
        Assert.Equal("{voice.bindings.http.url}", (string?)resources["console"]!["env"]!["services__voice__http__0"]);
        Assert.Equal("{callsdb.connectionString}", (string?)resources["voice"]!["env"]!["ConnectionStrings__callsdb"]);
        Assert.Equal("{voice-public-base-url.value}", (string?)resources["voice"]!["env"]!["Voice__PublicBaseUrl"]);
    }

    [Fact]
    public async Task The_published_redis_keeps_an_append_only_file_on_a_volume()
    {
        var cache = JsonNode.Parse(await Generated.Value)!["resources"]!["cache"]!;

        var command = cache["args"]!.AsArray().Select(a => (string?)a).ToList();
        Assert.Equal("/bin/sh", (string?)cache["entrypoint"]);
        Assert.Equal("-c", command[0]);
        Assert.Matches(@"^redis-server .*--appendonly yes( |$)", command[1]);
        Assert.Contains(cache["volumes"]!.AsArray(), v => (string?)v!["target"] == "/data" && (bool?)v["readOnly"] != true);
    }

    /// <summary>Runs the AppHost's publisher as azd does, into a file beside the committed one so relative paths match.</summary>
    private static async Task<string> GenerateAsync()
    {
        var output = Path.Combine(RepositoryPaths.Root, $"aspire-manifest.{Guid.NewGuid():N}.json");
        try
        {
            await using var appHost = AppHostProcess.Start(["--publisher", "manifest", "--output-path", output]);
            var exitCode = await appHost.WaitForExitAsync(TimeSpan.FromMinutes(2));
            Assert.True(exitCode == 0, $"the manifest publisher exited with {exitCode}:\n{appHost.Output}");
            return File.ReadAllText(output);
        }
        finally
        {
            File.Delete(output);
        }
    }
}
