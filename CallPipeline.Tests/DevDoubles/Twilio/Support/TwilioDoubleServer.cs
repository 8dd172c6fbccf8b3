extern alias devdoubles;

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CallPipeline.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CallPipeline.Tests.DevDoubles.Twilio.Support;

/// <summary>
/// The real dev-doubles service on Kestrel at 127.0.0.1, wired to a <see cref="FakeGateway"/> on another port: the
/// double posts signed webhooks to the gateway, the gateway calls the double's REST API with basic auth.
/// </summary>
internal sealed class TwilioDoubleServer : IAsyncDisposable
{
    private readonly WebApplicationFactory<devdoubles::Program> _factory;
    private readonly string _dataPath;

    private TwilioDoubleServer(WebApplicationFactory<devdoubles::Program> factory, FakeGateway gateway, string baseUrl, string dataPath, CapturedLogs logs)
    {
        _factory = factory;
        Gateway = gateway;
        BaseUrl = baseUrl;
        _dataPath = dataPath;
        Logs = logs;
        Client = new HttpClient { BaseAddress = new Uri(baseUrl) };
        Authorized = new HttpClient { BaseAddress = new Uri(baseUrl) };
        Authorized.DefaultRequestHeaders.Authorization = BasicAuth(gateway.AccountSid, gateway.AuthToken);
    }

    public FakeGateway Gateway { get; }

    public string BaseUrl { get; }

    public CapturedLogs Logs { get; }

    /// <summary>No credentials: the simulator API and unauthenticated probes.</summary>
    public HttpClient Client { get; }

    /// <summary>Basic auth with the account's SID and token, as Voice and Worker call Twilio.</summary>
    public HttpClient Authorized { get; }

    public IServiceProvider Services => _factory.Services;

    public string AccountSid => Gateway.AccountSid;

    /// <summary>
    /// For tests of the recording: the caller speaks only once the fake gateway's greeting has played. At ten times real
    /// speed the default patience is a fifth of a second, less than a loaded machine can take to start the recording and
    /// send the greeting; the caller then spoke and hung up before any recording began. A minute of call time was not
    /// enough either: it is 6 s of the test's, and during a full suite the fake gateway once took longer than that to
    /// start three of ten recordings. Ten minutes of call time are a minute of the test's.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> CallerWaitsForTheGreeting =
        new Dictionary<string, string> { ["Simulator:CallerPatience"] = "00:10:00" };

    public static async Task<TwilioDoubleServer> StartAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        var accountSid = "AC" + RandomNumberGenerator.GetHexString(32, lowercase: true);
        var authToken = RandomNumberGenerator.GetHexString(32, lowercase: true);
        var gateway = await FakeGateway.StartAsync(accountSid, authToken);
        var dataPath = Directory.CreateTempSubdirectory("twilio-double-tests").FullName;
        var logs = new CapturedLogs();
        var factory = new WebApplicationFactory<devdoubles::Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("Twilio:AccountSid", accountSid);
            web.UseSetting("Twilio:AuthToken", authToken);
            web.UseSetting("Twilio:Double:RecordingNotFoundFor", "00:00:00");
            web.UseSetting("Simulator:VoiceBaseUrl", gateway.BaseUrl);
            web.UseSetting("Simulator:Speed", "10");
            web.UseSetting("Simulator:CallerPatience", "00:00:02");
            web.UseSetting("Simulator:TrailingSilence", "00:00:00.500");
            web.UseSetting("DevDoubles:DataPath", dataPath);
            web.UseSetting("OpenAI:ApiKey", "sk-test");
            foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            {
                web.UseSetting(key, value);
            }
            web.ConfigureLogging(logging => logging.AddProvider(logs));
        });
        // Port 0: the kernel picks a free port while binding; the double reads its own URL back from the server.
        factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        var baseUrl = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        gateway.DoubleBaseUrl = baseUrl;
        return new TwilioDoubleServer(factory, gateway, baseUrl, dataPath, logs);
    }

    public static AuthenticationHeaderValue BasicAuth(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    public async Task<string> PlaceCallAsync(object request)
    {
        using var response = await Client.PostAsJsonAsync("/simulator/calls", request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("callSid").GetString()!;
    }

    public async Task<JsonElement> CallAsync(string callSid) =>
        await Client.GetFromJsonAsync<JsonElement>($"/simulator/calls/{callSid}");

    /// <summary>
    /// Waits until the simulator has sent everything for the call (its final callbacks included). A call that never
    /// ends fails with what it went through and what the double logged about it, to show where it stopped.
    /// </summary>
    public async Task<JsonElement> EndedCallAsync(string callSid)
    {
        try
        {
            return await Eventually.ReturnsAsync(() => CallAsync(callSid), call => call.TryGetProperty("endedAt", out var ended) && ended.ValueKind != JsonValueKind.Null
                && Logs.Lines.Any(line => line.Contains($"call {callSid} ended", StringComparison.Ordinal)), $"{callSid} ended", TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException exception)
        {
            var lines = string.Join(" | ", Logs.Lines.Where(line => line.Contains(callSid, StringComparison.Ordinal)).TakeLast(20));
            throw new TimeoutException($"{exception.Message} The call: {await CallAsync(callSid)}. The double's lines about it: {lines}", exception);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Authorized.Dispose();
        await _factory.DisposeAsync();
        await Gateway.DisposeAsync();
        Directory.Delete(_dataPath, recursive: true);
    }
}
