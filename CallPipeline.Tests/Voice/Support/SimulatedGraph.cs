extern alias devdoubles;

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CallPipeline.Data.Entities;
using CallPipeline.Tests.Infrastructure;
using CallPipeline.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace CallPipeline.Tests.Voice.Support;

/// <summary>
/// The voice gateway and the devdoubles service (Twilio double, call simulator, OpenAI double), each on Kestrel,
/// pointed at each other; the OpenAI double takes the key <see cref="OpenAiApiKey"/>.
/// </summary>
internal sealed class SimulatedGraph(VoiceHost voice, WebApplicationFactory<devdoubles::Program> doubles, HttpClient client, string dataPath) : IAsyncDisposable
{
    public const string OpenAiApiKey = "sk-test";

    public VoiceHost Voice => voice;

    /// <summary>The devdoubles service's base URL: Twilio's REST API, the simulator, and OpenAI under /v1.</summary>
    public string DoublesUrl => client.BaseAddress!.ToString().TrimEnd('/');

    /// <param name="speed">Media pace (Simulator:Speed): 10 plays calls ten times faster than real time.</param>
    public static async Task<SimulatedGraph> StartAsync(InfrastructureFixture infrastructure, bool duplicateCallbacks = false, double speed = 10)
    {
        var (voicePort, doublesPort) = (FreePort.Next(), FreePort.Next());
        var doublesUrl = $"http://127.0.0.1:{doublesPort}";
        var dataPath = Directory.CreateTempSubdirectory("voice-simulated-calls").FullName;
        var doubles = new WebApplicationFactory<devdoubles::Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("Twilio:AccountSid", VoiceTestData.AccountSid);
            web.UseSetting("Twilio:AuthToken", VoiceTestData.AuthToken);
            web.UseSetting("Twilio:Double:RecordingNotFoundFor", "00:00:00");
            web.UseSetting("Twilio:Double:DuplicateCallbacks", duplicateCallbacks ? "true" : "false");
            web.UseSetting("Simulator:VoiceBaseUrl", $"http://127.0.0.1:{voicePort}");
            web.UseSetting("Simulator:Speed", speed.ToString(System.Globalization.CultureInfo.InvariantCulture));
            // The caller waits for the gateway's greeting before speaking, as TwilioDoubleServer.CallerWaitsForTheGreeting
            // does. The gateway starts the recording as it starts the greeting; with 2 s of patience, a caller on a loaded
            // machine could speak and hang up before the gateway had begun the call, and the call was never recorded.
            web.UseSetting("Simulator:CallerPatience", "00:00:30");
            web.UseSetting("Simulator:TrailingSilence", "00:00:00.500");
            web.UseSetting("DevDoubles:DataPath", dataPath);
            web.UseSetting("OpenAI:ApiKey", OpenAiApiKey);
            web.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        });
        doubles.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, doublesPort));
        doubles.StartServer();
        var voice = await VoiceHost.StartAsync(
            infrastructure, new Dictionary<string, string> { ["Twilio:ApiBaseUrl"] = doublesUrl }, port: voicePort, fakeTwilioRest: false);
        return new SimulatedGraph(voice, doubles, new HttpClient { BaseAddress = new Uri(doublesUrl) }, dataPath);
    }

    /// <summary>
    /// A worker's settings for this graph: its database and stream, the shared Redis, the Twilio double for recordings
    /// and the OpenAI double; the reconciler and the dispatcher all but off.
    /// </summary>
    public Dictionary<string, string> WorkerSettings(InfrastructureFixture infrastructure, string consumerName) => new()
    {
        ["ConnectionStrings:callsdb"] = voice.Database,
        ["ConnectionStrings:cache"] = infrastructure.RedisConnectionString,
        ["OpenAI:Endpoint"] = DoublesUrl + "/v1",
        ["OpenAI:ApiKey"] = OpenAiApiKey,
        ["OpenAI:MaxRetries"] = "0",
        ["Twilio:AccountSid"] = VoiceTestData.AccountSid,
        ["Twilio:AuthToken"] = VoiceTestData.AuthToken,
        ["Twilio:ApiBaseUrl"] = DoublesUrl,
        ["Worker:Stream"] = voice.Stream,
        ["Worker:DeadLetterStream"] = voice.Stream + "-dead",
        ["Worker:ConsumerName"] = consumerName,
        ["Worker:PollMaxDelay"] = "00:00:00.200",
        ["Worker:ReconcileInterval"] = "01:00:00",
        ["Webhooks:Dispatcher:PollInterval"] = "00:10:00",
    };

    public async Task<string> PlaceCallAsync(object request)
    {
        using var response = await client.PostAsJsonAsync("/simulator/calls", request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("callSid").GetString()!;
    }

    /// <summary>The simulator's view of the call (<c>GET /simulator/calls/{callSid}</c>).</summary>
    public async Task<JsonElement> SimulatedCallAsync(string callSid) =>
        await client.GetFromJsonAsync<JsonElement>($"/simulator/calls/{callSid}");

    public Task<CallLog> WaitForCallAsync(string callSid, Func<CallLog, bool> condition, TimeSpan? timeout = null) =>
        Eventually.ReturnsAsync(
            async () => await VoiceTestData.FindCallAsync(voice.Database, callSid),
            call => call is not null && condition(call),
            $"call {callSid} reaches the expected state",
            timeout ?? TimeSpan.FromSeconds(90))!;

    public async ValueTask DisposeAsync()
    {
        client.Dispose();
        await voice.DisposeAsync();
        await doubles.DisposeAsync();
        Directory.Delete(dataPath, recursive: true);
    }
}
