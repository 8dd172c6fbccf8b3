using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using CallPipeline.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace CallPipeline.Tests.Graph;

/// <summary>What the post-call graph tests do to the running graph: place simulated calls, read call records and delivered webhooks.</summary>
internal sealed class PostCallGraph(DistributedApplication app, ResourceLogs logs)
{
    public const string DemoBusinessNumber = "+97235550100";
    public const string CallerNumber = "+972541234567";
    /// <summary>"Hello, my name is Dani. I need a plumber in Tel Aviv tomorrow morning, there is a leak in the kitchen."</summary>
    public const string CallerText = "שלום, קוראים לי דני. אני צריך אינסטלטור בתל אביב מחר בבוקר, יש נזילה במטבח.";

    public static readonly TimeSpan ProcessingTimeout = TimeSpan.FromMinutes(3);

    // Postgres's undefined-column SQLSTATE as Npgsql prints it ("42703: column … does not exist"); the bare digits also
    // occur in byte counts and ids.
    private static readonly string[] BadLogFragments =
    [
        "42703: ", "UndefinedColumn", "AttributeError", "Unhandled exception", "unhandled exception",
        "Error closing", "closing the websocket", "WebSocketException", "Cannot access a disposed",
    ];

    public async Task<string> PlaceCallAsync(string from, string to, string direction = "inbound", string? text = CallerText, string outcome = "answered")
    {
        using var doubles = app.CreateHttpClient("devdoubles");
        using var response = await doubles.PostAsJsonAsync("/simulator/calls", new { from, to, direction, text, outcome });
        response.EnsureSuccessStatusCode();
        var placed = await response.Content.ReadFromJsonAsync<JsonObject>();
        return placed?["callSid"]?.GetValue<string>() ?? throw new InvalidOperationException("The simulator returned no callSid.");
    }

    /// <summary>A call whose both sides speak the given lines at their call times (seconds), as the simulator scripts them.</summary>
    public async Task<string> PlaceConversationAsync(string from, string to, IEnumerable<(string Speaker, double At, string Text)> script)
    {
        using var doubles = app.CreateHttpClient("devdoubles");
        var conversation = script.Select(line => new { speaker = line.Speaker, at = line.At, text = line.Text });
        using var response = await doubles.PostAsJsonAsync("/simulator/calls", new { from, to, direction = "inbound", conversation });
        response.EnsureSuccessStatusCode();
        var placed = await response.Content.ReadFromJsonAsync<JsonObject>();
        return placed?["callSid"]?.GetValue<string>() ?? throw new InvalidOperationException("The simulator returned no callSid.");
    }

    /// <summary>How far into the call the simulated call's recording began, in seconds.</summary>
    public async Task<double> RecordingStartsAtAsync(string callSid)
    {
        using var doubles = app.CreateHttpClient("devdoubles");
        var simulated = await doubles.GetFromJsonAsync<JsonObject>($"/simulator/calls/{callSid}");
        return simulated?["recordingStartsAtSeconds"]?.GetValue<double>() ?? throw new InvalidOperationException($"The simulator has no recording start for {callSid}.");
    }

    /// <summary>
    /// An outbound call as production places it: the operator API asks Twilio's REST API (here the double) to call,
    /// and Twilio then requests the gateway's TwiML like for any call.
    /// </summary>
    public async Task<string> PlaceOutboundCallThroughTwilioAsync(string from, string to)
    {
        using var voice = OperatorClient();
        using var response = await voice.PostAsJsonAsync("/api/calls", new { from, to });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var placed = await response.Content.ReadFromJsonAsync<JsonObject>();
        return placed?["callSid"]?.GetValue<string>() ?? throw new InvalidOperationException("The operator API returned no callSid.");
    }

    /// <summary>The operator's record of the call once <paramref name="condition"/> holds.</summary>
    public Task<JsonObject> WaitForCallAsync(string callSid, Func<JsonObject, bool> condition, string what) =>
        Eventually.ReturnsAsync(() => GetCallAsync(callSid), call => call is not null && condition(call), $"{callSid} {what}", ProcessingTimeout)!;

    public async Task<JsonObject?> GetCallAsync(string callSid)
    {
        using var voice = OperatorClient();
        using var response = await voice.GetAsync($"/api/calls/{callSid}");
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonObject>() : null;
    }

    public HttpClient OperatorClient()
    {
        var client = app.CreateHttpClient("voice");
        client.DefaultRequestHeaders.Add("X-Api-Key", ParameterValue(app, "operator-api-key"));
        return client;
    }

    /// <summary>The bodies of the webhooks the receiver accepted (so verified) on <paramref name="hook"/> for this call.</summary>
    public async Task<List<JsonObject>> ReceivedWebhooksAsync(string hook, string callSid)
    {
        using var receiver = app.CreateHttpClient("webhook-receiver");
        var accepted = await receiver.GetFromJsonAsync<JsonArray>($"/hooks/{hook}") ?? [];
        return accepted
            .Select(w => JsonNode.Parse(w!["body"]!.GetValue<string>())!.AsObject())
            .Where(body => body["call_sid"]?.GetValue<string>() == callSid)
            .ToList();
    }

    public Task<List<JsonObject>> WaitForWebhooksAsync(string hook, string callSid) =>
        Eventually.ReturnsAsync(() => ReceivedWebhooksAsync(hook, callSid), bodies => bodies.Count > 0, $"{hook} received a webhook for {callSid}", ProcessingTimeout);

    /// <summary>What the OpenAI double was sent (never audio or keys), to prove what the worker asked for.</summary>
    public async Task<List<JsonObject>> OpenAiRequestsAsync()
    {
        using var doubles = app.CreateHttpClient("devdoubles");
        var requests = await doubles.GetFromJsonAsync<JsonArray>("/v1/_double/requests") ?? [];
        return requests.Select(r => r!.AsObject()).ToList();
    }

    public IReadOnlyList<string> LogLines(string resource) => logs.GetLines(resource).Select(l => l.Text).ToList();

    /// <summary>
    /// The resource's log lines once one contains <paramref name="text"/>: a line written after the effect a test waited
    /// for (a service logs after its commit) reaches the test through the orchestrator's log stream a moment later.
    /// </summary>
    public Task<IReadOnlyList<string>> WaitForLogLinesAsync(string resource, string text) =>
        Eventually.ReturnsAsync(
            () => Task.FromResult(LogLines(resource)), lines => lines.Any(l => l.Contains(text, StringComparison.Ordinal)),
            $"{resource} logged \"{text}\"", TimeSpan.FromSeconds(30));

    /// <summary>Log lines of the whole run that show one of the original system's production failures.</summary>
    public IReadOnlyList<string> BadLogLines() =>
        logs.GetAllLines()
            .Where(l => BadLogFragments.Any(fragment => l.Text.Contains(fragment, StringComparison.Ordinal)))
            .Select(l => $"{l.ResourceName}: {l.Text}")
            .ToList();

    /// <summary>A parameter's resolved value, as the AppHost handed it to the services.</summary>
    public static string ParameterValue(DistributedApplication app, string name) =>
        app.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<ParameterResource>().Single(p => p.Name == name)
            .GetValueAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult()
            ?? throw new InvalidOperationException($"{name} has no value.");
}
