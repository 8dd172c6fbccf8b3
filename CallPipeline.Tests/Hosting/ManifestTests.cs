using System.Text;
using System.Text.Json.Nodes;
using CallPipeline.Hosting.Publishing;
using CallPipeline.Hosting.Testing;
using Json.Schema;

namespace CallPipeline.Tests.Hosting;

public sealed class ManifestTests
{
    private static readonly string CommittedManifestPath = Path.Combine(RepositoryPaths.Root, "aspire-manifest.json");

    [Fact]
    public async Task The_committed_manifest_is_what_the_AppHost_generates()
    {
        var generated = await GenerateAsync();

        Assert.True(
            File.ReadAllText(CommittedManifestPath) == generated,
            "aspire-manifest.json is out of date: run 'dotnet run --project CallPipeline.AppHost -- --publisher manifest --output-path ../aspire-manifest.json' and commit it.");
    }

    [Fact]
    public void The_committed_manifest_validates_against_the_Aspire_manifest_schema()
    {
        var schema = JsonSchema.FromText(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Hosting", "aspire-manifest.schema.json")));

        var result = schema.Evaluate(JsonNode.Parse(File.ReadAllText(CommittedManifestPath)), new EvaluationOptions { OutputFormat = OutputFormat.List });

        Assert.True(result.IsValid, string.Join('\n', result.Details?.Where(d => d.HasErrors).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")) ?? []));
    }

    [Fact]
    public async Task The_manifest_publishes_secrets_as_secret_parameters_and_leaves_out_local_only_resources()
    {
        var resources = JsonNode.Parse(await GenerateAsync())!["resources"]!.AsObject();

        foreach (var secret in new[] { "twilio-account-sid", "twilio-auth-token", "openai-api-key", "operator-api-key", "postgres-password", "cache-password" })
        {
            Assert.Equal("parameter.v0", (string?)resources[secret]?["type"]);
            Assert.True((bool?)resources[secret]!["inputs"]!["value"]!["secret"], $"{secret} is not secret");
        }
        Assert.DoesNotContain("devdoubles", resources.Select(r => r.Key));
        Assert.DoesNotContain("webhook-receiver", resources.Select(r => r.Key));
        Assert.True((bool?)resources["voice"]!["bindings"]!["http"]!["external"]);
        Assert.Null(resources["worker"]!["bindings"]!["http"]!["external"]);
        Assert.Equal("{callsdb.connectionString}", (string?)resources["voice"]!["env"]!["ConnectionStrings__callsdb"]);
    }

    private static async Task<string> GenerateAsync()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.CallPipeline_AppHost>(
            ["--publisher", "manifest", "--output-path", CommittedManifestPath], null);
        using var stream = new MemoryStream();
        ManifestPublisher.Write(builder.Resources, RepositoryPaths.Root, stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
