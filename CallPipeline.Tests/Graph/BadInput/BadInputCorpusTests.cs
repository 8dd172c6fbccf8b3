using System.Collections.Concurrent;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CallPipeline.Tests.Graph.BadInput;

/// <summary>
/// The bad-input corpus against the real graph: each case gets exactly its expected status or close code (never a 500,
/// never a stack trace), and afterwards every service is healthy and no log line holds a secret or caller data.
/// </summary>
[Collection(GraphCollection.Name)]
[Trait("Category", "Graph")]
public sealed class BadInputCorpusTests(GraphFixture graph)
{
    private static readonly TimeSpan CaseTimeout = TimeSpan.FromSeconds(90);
    private static readonly string[] ProductServices = ["voice", "worker", "migrator"];

    [Fact]
    public void The_corpus_holds_at_least_200_distinct_cases_none_expecting_a_server_error()
    {
        var names = BadInputCorpus.All.Select(c => c.ToString()).ToList();

        Assert.True(names.Count >= 200, $"{names.Count} cases");
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.DoesNotContain(BadInputCorpus.All, c => c.Expected.Split(' ').Any(part => part.StartsWith('5')));
    }

    [Fact]
    public async Task Every_bad_input_gets_its_status_or_close_code_and_afterwards_the_services_are_healthy_and_the_logs_hold_no_secret_or_caller_data()
    {
        using var sender = new BadInputSender(graph.App);
        var mismatches = new ConcurrentBag<string>();

        await Parallel.ForEachAsync(BadInputCorpus.All, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (input, _) =>
        {
            string actual;
            try
            {
                actual = await input.Send(sender).WaitAsync(CaseTimeout);
            }
            catch (Exception ex)
            {
                actual = $"{ex.GetType().Name}: {ex.Message}{(ex.InnerException is { } inner ? $" ({inner.Message})" : "")}";
            }
            if (actual != input.Expected)
            {
                mismatches.Add($"{input}: expected {input.Expected}, got {actual}");
            }
        });

        Assert.True(mismatches.IsEmpty, $"{mismatches.Count} of {BadInputCorpus.All.Count} cases got another answer:\n" + string.Join('\n', mismatches.Order()));
        foreach (var resource in GraphResources.LongRunning)
        {
            await graph.App.ResourceNotifications.WaitForResourceHealthyAsync(resource).WaitAsync(TimeSpan.FromMinutes(1));
        }
        // A client's bad input is never logged as the service's own failure (an unhandled exception, a stack trace).
        Assert.Empty(new PostCallGraph(graph.App, graph.Logs).BadLogLines());
        AssertNoLogLineHolds(await SecretsAsync(), GraphResources.LongRunning.Append("migrator"), "a secret");
        AssertNoLogLineHolds([.. BadInputCorpus.CallerDataCanaries, .. await CallerDataInPostgresAsync()], ProductServices, "caller data");
    }

    private void AssertNoLogLineHolds(IReadOnlyCollection<string> values, IEnumerable<string> resources, string what)
    {
        var leaks = resources
            .SelectMany(resource => graph.Logs.GetLines(resource))
            .Where(line => values.Any(value => line.Text.Contains(value, StringComparison.Ordinal)))
            .Select(line => $"{line.ResourceName}: {line.Text}")
            .Take(5)
            .ToList();
        Assert.True(leaks.Count == 0, $"Log lines hold {what}:\n" + string.Join('\n', leaks));
    }

    /// <summary>
    /// Every secret parameter's value: passwords, tokens, keys. Not the Twilio Account SID, the account's identifier
    /// rather than a credential (the auth token is that): it is part of every Twilio URL, each call's recording URL too.
    /// </summary>
    private async Task<List<string>> SecretsAsync()
    {
        var secrets = new List<string>();
        foreach (var parameter in graph.App.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<ParameterResource>()
            .Where(p => p.Secret && p.Name != "twilio-account-sid"))
        {
            if (await parameter.GetValueAsync(CancellationToken.None) is { Length: >= 8 } value)
            {
                secrets.Add(value);
            }
        }
        return secrets;
    }

    /// <summary>What callers said and what was extracted from it, for every call the graph processed so far.</summary>
    private async Task<List<string>> CallerDataInPostgresAsync()
    {
        await using var connection = new NpgsqlConnection(await graph.App.GetConnectionStringAsync("callsdb"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT extracted_city, extracted_service, customer_name, final_transcript FROM call_logs WHERE pipeline_status = 'processed'", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            for (var i = 0; i < 3; i++)
            {
                if (!reader.IsDBNull(i) && reader.GetString(i).Trim() is { Length: >= 3 } value)
                {
                    values.Add(value);
                }
            }
            // Sentences of the transcript, long enough that no log line holds one by chance.
            if (!reader.IsDBNull(3))
            {
                foreach (var sentence in reader.GetString(3).Split(['.', ',', '?', '!', '\n'], StringSplitOptions.TrimEntries).Where(s => s.Length >= 12))
                {
                    values.Add(sentence);
                }
            }
        }
        return [.. values];
    }
}
