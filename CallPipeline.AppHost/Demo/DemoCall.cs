using System.Net.Http.Json;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CallPipeline.AppHost.Demo;

/// <summary>One simulated call through the whole graph, reported as an operator would want to see it.</summary>
internal sealed class DemoCall(string voiceUrl, string receiverUrl, string? twilioDoubleUrl, string operatorApiKey, string aiProvider)
{
    public const string DemoBusinessNumber = "+97235550100";
    public const string CallerNumber = "+972541234567";
    /// <summary>"Hello, my name is Dani. I need a plumber in Tel Aviv tomorrow morning, there is a leak in the kitchen."</summary>
    public const string CallerText = "שלום, קוראים לי דני. אני צריך אינסטלטור בתל אביב מחר בבוקר, יש נזילה במטבח.";

    private static readonly TimeSpan ProcessingTimeout = TimeSpan.FromMinutes(3);
    private static readonly JsonSerializerOptions Printing = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public async Task RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        output.WriteLine();
        output.WriteLine("Demo call");
        output.WriteLine($"  Twilio: {(twilioDoubleUrl is null ? "real Twilio (api.twilio.com)" : $"the Twilio double at {twilioDoubleUrl}")}");
        output.WriteLine($"  AI:     {aiProvider}");
        if (twilioDoubleUrl is null)
        {
            output.WriteLine($"  Real Twilio credentials are configured, so there is no call simulator: call the Twilio number of the demo business ({DemoBusinessNumber}) instead.");
            return;
        }

        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            using var placed = await http.PostAsJsonAsync($"{twilioDoubleUrl}/simulator/calls",
                new { from = CallerNumber, to = DemoBusinessNumber, direction = "inbound", text = CallerText }, cancellationToken);
            placed.EnsureSuccessStatusCode();
            var callSid = (await placed.Content.ReadFromJsonAsync<JsonObject>(cancellationToken))?["callSid"]?.GetValue<string>()
                ?? throw new InvalidOperationException("The simulator did not return a CallSid.");
            output.WriteLine($"  Placed {callSid} from {CallerNumber} to {DemoBusinessNumber}; waiting for the pipeline (up to {ProcessingTimeout.TotalMinutes:0} min)...");

            var call = await WaitForProcessedCallAsync(http, callSid, cancellationToken);
            output.WriteLine();
            output.WriteLine("Call record (GET /api/calls/" + callSid + "):");
            output.WriteLine(call.ToJsonString(Printing));

            var webhook = await FindWebhookAsync(http, callSid, cancellationToken);
            output.WriteLine();
            output.WriteLine(webhook is null
                ? "No webhook for this call reached the receiver yet."
                : "Webhook verified by the receiver (GET /hooks/demo-inbound):\n" + webhook.ToJsonString(Printing));
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or TimeoutException or JsonException)
        {
            output.WriteLine($"  The demo call did not complete: {ex.Message}");
        }
    }

    private async Task<JsonObject> WaitForProcessedCallAsync(HttpClient http, string callSid, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + ProcessingTimeout;
        JsonObject? call = null;
        while (DateTimeOffset.UtcNow < deadline)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{voiceUrl}/api/calls/{callSid}");
            request.Headers.Add("X-Api-Key", operatorApiKey);
            using var response = await http.SendAsync(request, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                call = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
                var status = call?["pipelineStatus"]?.ToString();
                var delivered = call?["webhooks"]?.AsArray().Any(w => w?["status"]?.ToString() == "delivered") ?? false;
                if (status == "failed" || (status == "processed" && delivered))
                {
                    return call!;
                }
            }
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
        throw new TimeoutException($"{callSid} was not processed and delivered within {ProcessingTimeout.TotalMinutes:0} minutes; last state: {call?["pipelineStatus"]}.");
    }

    private async Task<JsonNode?> FindWebhookAsync(HttpClient http, string callSid, CancellationToken cancellationToken)
    {
        var received = await http.GetFromJsonAsync<JsonArray>($"{receiverUrl}/hooks/demo-inbound", cancellationToken) ?? [];
        var webhook = received.LastOrDefault(hook => hook?.ToJsonString().Contains(callSid, StringComparison.Ordinal) ?? false);
        // The receiver keeps the body as the exact bytes that were signed; shown parsed, so it reads as the business sees it.
        if (webhook?["body"]?.GetValue<string>() is { } body)
        {
            webhook["body"] = JsonNode.Parse(body);
        }
        return webhook;
    }
}
