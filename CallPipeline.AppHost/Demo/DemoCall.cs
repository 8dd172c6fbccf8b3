using System.Net.Http.Json;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CallPipeline.AppHost.Demo;

/// <summary>
/// One simulated two-sided call through the whole graph (the simulator speaks both the caller and the line), reported
/// as an operator would want to see it: the call record, the transcript turn by turn, and the webhook.
/// </summary>
internal sealed class DemoCall(string voiceUrl, string consoleUrl, string receiverUrl, string? twilioDoubleUrl, string operatorApiKey, string aiProvider)
{
    public const string DemoBusinessNumber = "+97235550100";
    public const string CallerNumber = "+972541234567";

    /// <summary>
    /// Both sides, at their call times in seconds. The line: "Hello, you have reached Demo Plumbing in Tel Aviv, how can
    /// I help?"; the caller: "Hello, my name is Dani. I need a plumber in Ramat Gan tomorrow morning, there is a leak in
    /// the kitchen."; the line: "Gladly Dani, a plumber will come to you tomorrow at eight in the morning."; the caller:
    /// "Great, thank you very much." The city to extract is the caller's (Ramat Gan), not the line's (Tel Aviv). The
    /// greeting comes well after the gateway's 0.5 s chime, so the chime does not open the line's first turn.
    /// </summary>
    public static readonly (string Speaker, double At, string Text)[] Script =
    [
        ("line", 3.5, "שלום, הגעתם לאינסטלציה דמו בתל אביב. במה אפשר לעזור?"),
        ("caller", 9.0, "שלום, קוראים לי דני. אני צריך אינסטלטור ברמת גן מחר בבוקר, יש נזילה במטבח."),
        ("line", 17.0, "בשמחה דני. אינסטלטור יגיע אליך מחר בשמונה בבוקר."),
        ("caller", 22.0, "מצוין, תודה רבה."),
    ];

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
            var conversation = Script.Select(line => new { speaker = line.Speaker, at = line.At, text = line.Text });
            using var placed = await http.PostAsJsonAsync($"{twilioDoubleUrl}/simulator/calls",
                new { from = CallerNumber, to = DemoBusinessNumber, direction = "inbound", conversation }, cancellationToken);
            placed.EnsureSuccessStatusCode();
            var callSid = (await placed.Content.ReadFromJsonAsync<JsonObject>(cancellationToken))?["callSid"]?.GetValue<string>()
                ?? throw new InvalidOperationException("The simulator did not return a CallSid.");
            output.WriteLine($"  Placed {callSid} from {CallerNumber} to {DemoBusinessNumber}; waiting for the pipeline (up to {ProcessingTimeout.TotalMinutes:0} min)...");

            var call = await WaitForProcessedCallAsync(http, callSid, cancellationToken);
            output.WriteLine();
            output.WriteLine("Call record (GET /api/calls/" + callSid + "):");
            output.WriteLine(call.ToJsonString(Printing));

            var simulated = await http.GetFromJsonAsync<JsonObject>($"{twilioDoubleUrl}/simulator/calls/{callSid}", cancellationToken);
            PrintTurns(output, call, simulated?["recordingStartsAtSeconds"]?.GetValue<double>());

            var webhook = await FindWebhookAsync(http, callSid, cancellationToken);
            output.WriteLine();
            output.WriteLine(webhook is null
                ? "No webhook for this call reached the receiver yet."
                : "Webhook verified by the receiver (GET /hooks/demo-inbound):\n" + webhook.ToJsonString(Printing));
            output.WriteLine();
            output.WriteLine($"See it in the operator console: {consoleUrl}/calls/{callSid}");
            output.WriteLine("  (sign in with the operator-api-key parameter: dotnet user-secrets list --project CallPipeline.AppHost)");
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or TimeoutException or JsonException)
        {
            output.WriteLine($"  The demo call did not complete: {ex.Message}");
        }
    }

    /// <summary>
    /// The transcript turn by turn, in seconds from the recording's start, each beside where the script placed its line
    /// (the script's call time less the time the recording started) and how far the turn's start is from it.
    /// </summary>
    private static void PrintTurns(TextWriter output, JsonObject call, double? recordingStartsAt)
    {
        var turns = call["transcript"]?["turns"]?.AsArray() ?? [];
        output.WriteLine();
        output.WriteLine($"Transcript turn by turn ({turns.Count} turns; seconds from the start of the recording, which began {recordingStartsAt ?? 0:0.00} s into the call):");
        for (var i = 0; i < turns.Count; i++)
        {
            var turn = turns[i]!;
            var (role, start, end, text) = (turn["role"]!.GetValue<string>(), turn["start"]!.GetValue<double>(), turn["end"]!.GetValue<double>(), turn["text"]!.GetValue<string>());
            var scripted = i < Script.Length && Script[i].Speaker == role && recordingStartsAt is { } offset
                ? $"   (script {Script[i].At - offset,6:0.00} s, start {(start - (Script[i].At - offset)) * 1000,4:+0;-0} ms)"
                : "   (not in the script)";
            output.WriteLine($"  {start,6:0.00}-{end,6:0.00} s  {role,-6} {text}{scripted}");
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
