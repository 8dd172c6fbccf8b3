extern alias voice;

using System.Net;
using System.Net.WebSockets;
using System.Text.RegularExpressions;
using CallPipeline.Tests.Infrastructure;
using CallPipeline.Tests.Support;
using CallPipeline.Twilio.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CallPipeline.Tests.Voice.Support;

/// <summary>
/// The real voice gateway (its Program, its registrations) on Kestrel at 127.0.0.1, on a database of its own, the
/// shared Redis, and a Twilio REST fake behind its HttpClient. Twilio's side is played by signing requests with the
/// same auth token and opening real WebSockets.
/// </summary>
internal sealed partial class VoiceHost : IAsyncDisposable
{
    private readonly WebApplicationFactory<voice::Program> _factory;

    private VoiceHost(WebApplicationFactory<voice::Program> factory, string database, string baseUrl, string stream, string recordingsPath, FakeTwilioRest twilio, CapturedLogs logs)
    {
        _factory = factory;
        Database = database;
        BaseUrl = baseUrl;
        Stream = stream;
        RecordingsPath = recordingsPath;
        Twilio = twilio;
        Logs = logs;
        // A request sent with Expect: 100-continue waits for the gateway's answer however slow the machine, so an
        // oversized body refused up front is never sent into a connection the gateway has already closed.
        Client = new HttpClient(new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromSeconds(30) })
        {
            BaseAddress = new Uri(baseUrl),
            Timeout = TimeSpan.FromSeconds(60),
        };
        Operator = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(60) };
        Operator.DefaultRequestHeaders.Add("X-Api-Key", VoiceTestData.OperatorApiKey);
    }

    public string Database { get; }

    public string BaseUrl { get; }

    /// <summary>The Redis stream recording jobs go to, unique per host so tests sharing Redis do not see each other's jobs.</summary>
    public string Stream { get; }

    public string RecordingsPath { get; }

    public FakeTwilioRest Twilio { get; }

    public CapturedLogs Logs { get; }

    public HttpClient Client { get; }

    /// <summary>A client of the operator API: every request carries the API key.</summary>
    public HttpClient Operator { get; }

    public IServiceProvider Services => _factory.Services;

    public static async Task<VoiceHost> StartAsync(
        InfrastructureFixture infrastructure,
        IReadOnlyDictionary<string, string>? settings = null,
        Action<IServiceCollection>? services = null,
        string? database = null,
        int? port = null,
        bool fakeTwilioRest = true)
    {
        database ??= await infrastructure.CreateDatabaseAsync();
        port ??= FreePort.Next();
        var baseUrl = $"http://127.0.0.1:{port}";
        var stream = "recording-jobs-" + Guid.NewGuid().ToString("N")[..8];
        var recordingsPath = Path.Combine(Path.GetTempPath(), "callpipeline-voice-tests", Guid.NewGuid().ToString("N")[..8]);
        var twilio = new FakeTwilioRest();
        var logs = new CapturedLogs(LogLevel.Debug);
        var all = new Dictionary<string, string>
        {
            ["ConnectionStrings:callsdb"] = database,
            ["ConnectionStrings:cache"] = infrastructure.RedisConnectionString,
            ["Twilio:AccountSid"] = VoiceTestData.AccountSid,
            ["Twilio:AuthToken"] = VoiceTestData.AuthToken,
            ["Twilio:ApiBaseUrl"] = "http://twilio.invalid",
            ["Voice:PublicBaseUrl"] = baseUrl,
            ["Voice:RecordingsPath"] = recordingsPath,
            ["Voice:OutboxPollInterval"] = "00:00:00.500",
            ["Worker:Stream"] = stream,
            ["OperatorApi:ApiKey"] = VoiceTestData.OperatorApiKey,
            ["Logging:LogLevel:Default"] = "Debug",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }

        var factory = new WebApplicationFactory<voice::Program>().WithWebHostBuilder(web =>
        {
            foreach (var (key, value) in all)
            {
                web.UseSetting(key, value);
            }
            web.ConfigureLogging(logging => logging.AddProvider(logs));
            web.ConfigureTestServices(testServices =>
            {
                if (fakeTwilioRest)
                {
                    testServices.AddHttpClient(TwilioRestClientExtensions.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => twilio);
                }
                services?.Invoke(testServices);
            });
        });
        factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port.Value));
        factory.StartServer();
        return new VoiceHost(factory, database, baseUrl, stream, recordingsPath, twilio, logs);
    }

    /// <summary>A form POST signed the way Twilio signs it: over the public URL and every form field.</summary>
    public async Task<HttpResponseMessage> PostSignedAsync(string path, IReadOnlyDictionary<string, string> form, string? signature = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add(TwilioSignature.HeaderName, signature ?? TwilioSignature.Compute(VoiceTestData.AuthToken, BaseUrl + path, form));
        return await Client.SendAsync(request);
    }

    /// <summary>Twilio's incoming-call webhook for a new call; returns the TwiML.</summary>
    public async Task<string> IncomingCallAsync(string callSid, string from, string to, string direction = "inbound")
    {
        using var response = await PostSignedAsync("/twilio/voice/incoming", new Dictionary<string, string>
        {
            ["AccountSid"] = VoiceTestData.AccountSid,
            ["CallSid"] = callSid,
            ["From"] = from,
            ["To"] = to,
            ["Caller"] = from,
            ["Called"] = to,
            ["CallStatus"] = "ringing",
            ["Direction"] = direction,
            ["ApiVersion"] = "2010-04-01",
        });
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    public async Task<HttpResponseMessage> CallStatusAsync(string callSid, string status, int? sequence, int? duration = null, string direction = "inbound", string from = "+972501234567", string to = "+97235550100")
    {
        var form = new Dictionary<string, string>
        {
            ["AccountSid"] = VoiceTestData.AccountSid,
            ["CallSid"] = callSid,
            ["CallStatus"] = status,
            ["Direction"] = direction,
            ["From"] = from,
            ["To"] = to,
            ["CallbackSource"] = "call-progress-events",
            ["Timestamp"] = DateTimeOffset.UtcNow.ToString("ddd, dd MMM yyyy HH:mm:ss +0000", System.Globalization.CultureInfo.InvariantCulture),
        };
        if (sequence is not null)
        {
            form["SequenceNumber"] = sequence.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        if (duration is not null)
        {
            form["CallDuration"] = duration.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return await PostSignedAsync("/twilio/voice/status", form);
    }

    /// <summary>Twilio's recording-status callback; <paramref name="recordingUrl"/> defaults to Twilio's own URL of the recording.</summary>
    public async Task<HttpResponseMessage> RecordingStatusAsync(string callSid, string recordingSid, string status, string? errorCode = null, string? recordingUrl = null)
    {
        var form = new Dictionary<string, string>
        {
            ["AccountSid"] = VoiceTestData.AccountSid,
            ["CallSid"] = callSid,
            ["RecordingSid"] = recordingSid,
            ["RecordingUrl"] = recordingUrl ?? $"https://api.twilio.com/2010-04-01/Accounts/{VoiceTestData.AccountSid}/Recordings/{recordingSid}",
            ["RecordingStatus"] = status,
            ["RecordingChannels"] = "2",
            ["RecordingSource"] = "StartCallRecordingAPI",
            ["RecordingTrack"] = "both",
            ["RecordingStartTime"] = "Fri, 14 Oct 2016 21:56:34 +0000",
            ["ErrorCode"] = errorCode ?? "0",
        };
        if (status == "completed")
        {
            form["RecordingDuration"] = "42";
        }
        return await PostSignedAsync("/twilio/recording/status", form);
    }

    /// <summary>The stream URL of a <c>&lt;Connect&gt;&lt;Stream&gt;</c> TwiML answer.</summary>
    public static string StreamUrl(string twiml) => StreamUrlPattern().Match(twiml) is { Success: true } match
        ? match.Groups["url"].Value
        : throw new InvalidOperationException($"No <Stream url> in {twiml}");

    public static string StreamToken(string twiml) => StreamUrl(twiml).Split('/')[^1];

    public async Task<MediaStreamClient> ConnectMediaAsync(string token, Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = new ClientWebSocket();
        configure?.Invoke(socket.Options);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await socket.ConnectAsync(new Uri($"ws{BaseUrl["http".Length..]}/twilio/media/{token}"), timeout.Token);
        return new MediaStreamClient(socket);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Operator.Dispose();
        await _factory.DisposeAsync();
        using (var connection = new NpgsqlConnection(Database))
        {
            NpgsqlConnection.ClearPool(connection);
        }
        try
        {
            Directory.Delete(RecordingsPath, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    [GeneratedRegex("<Stream url=\"(?<url>[^\"]+)\"")]
    private static partial Regex StreamUrlPattern();
}
