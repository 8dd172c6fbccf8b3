using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using CallPipeline.Tests.Support;
using CallPipeline.Twilio.Security;
using CallPipeline.Twilio.TwiML;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CallPipeline.Tests.DevDoubles.Twilio.Support;

/// <summary>
/// A tiny voice gateway on Kestrel, speaking the Twilio contracts as the real one must: it validates every
/// X-Twilio-Signature with <see cref="TwilioSignature"/>, answers TwiML, accepts the Media Stream, starts a dual-channel
/// recording through the double's REST API at stream start, plays a greeting with a mark, and keeps everything it saw.
/// </summary>
internal sealed class FakeGateway : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _twilio = new();

    private FakeGateway(WebApplication app, string accountSid, string authToken)
    {
        _app = app;
        AccountSid = accountSid;
        AuthToken = authToken;
        _twilio.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{accountSid}:{authToken}")));
    }

    public string BaseUrl { get; private set; } = "";

    /// <summary>The Twilio double's base URL, for the REST calls; known once the double listens.</summary>
    public string DoubleBaseUrl { get; set; } = "";

    public string AccountSid { get; }

    public string AuthToken { get; }

    public ConcurrentQueue<GatewayRequest> Requests { get; } = new();

    /// <summary>Every text message the double sent on any Media Stream, in order.</summary>
    public ConcurrentQueue<string> MediaMessages { get; } = new();

    public ConcurrentQueue<RecordingStart> RecordingStarts { get; } = new();

    /// <summary>Whether the WebSocket upgrade carried a valid signature over the &lt;Stream&gt; url.</summary>
    public ConcurrentQueue<bool> UpgradeSignaturesValid { get; } = new();

    /// <summary>The TwiML answered to the incoming-call webhook; by default a Connect/Stream to this gateway.</summary>
    public Func<string>? Twiml { get; set; }

    public bool StartRecording { get; set; } = true;

    public bool StartRecordingTwice { get; set; }

    /// <summary>Drop the Media Stream's TCP connection without a close handshake once it is accepted.</summary>
    public bool AbortStream { get; set; }

    /// <summary>Send clear right after the greeting and its mark, as a gateway does when the caller barges in.</summary>
    public bool ClearAfterGreeting { get; set; }

    public byte[] Greeting { get; set; } = TestTones.MuLawTone(TimeSpan.FromMilliseconds(600));

    public string StreamUrl => $"ws://127.0.0.1:{new Uri(BaseUrl).Port}/twilio/media/token-123";

    public IReadOnlyList<GatewayRequest> RequestsTo(string path) => [.. Requests.Where(r => r.Path == path)];

    /// <summary>The one recording callback saying the recording completed, waited for: under load it can trail the call's end.</summary>
    public async Task<GatewayRequest> CompletedRecordingCallbackAsync() => Assert.Single(await CompletedRecordingCallbacksAsync(1));

    /// <summary>
    /// The recording callbacks saying the recording completed, once there are <paramref name="count"/>; when they do
    /// not come, the failure says what the recording start got and which recording callbacks did come.
    /// </summary>
    public async Task<IReadOnlyList<GatewayRequest>> CompletedRecordingCallbacksAsync(int count)
    {
        List<GatewayRequest> Completed() => [.. RequestsTo("/twilio/recording/status").Where(r => r["RecordingStatus"] == "completed")];
        try
        {
            return await Eventually.ReturnsAsync(() => Task.FromResult(Completed()), callbacks => callbacks.Count >= count, "the completed recording callbacks arrived", TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException ex)
        {
            var starts = string.Join("; ", RecordingStarts.Select(s => $"{s.StatusCode} {s.Body}"));
            var callbacks = string.Join("; ", RequestsTo("/twilio/recording/status").Select(r => $"{r["RecordingStatus"]} {r.Form.FirstOrDefault(p => p.Key == "ErrorCode").Value}"));
            throw new TimeoutException($"{ex.Message} Recording starts: [{starts}]; recording callbacks: [{callbacks}].", ex);
        }
    }

    /// <summary>Starts on a port the kernel picks while binding, so parallel tests never race for one.</summary>
    public static async Task<FakeGateway> StartAsync(string accountSid, string authToken)
    {
        var app = LoopbackWebApp.CreateBuilder().Build();
        var gateway = new FakeGateway(app, accountSid, authToken);
        app.UseWebSockets();
        app.MapPost("/twilio/voice/incoming", async (HttpContext http) =>
        {
            await gateway.KeepAsync(http);
            return Results.Content(gateway.Twiml?.Invoke() ?? gateway.DefaultTwiml(), "text/xml");
        });
        app.MapPost("/twilio/voice/status", async (HttpContext http) =>
        {
            await gateway.KeepAsync(http);
            return Results.NoContent();
        });
        app.MapPost("/twilio/recording/status", async (HttpContext http) =>
        {
            await gateway.KeepAsync(http);
            return Results.NoContent();
        });
        app.Map("/twilio/media/{token}", gateway.AcceptStreamAsync);
        await app.StartAsync();
        gateway.BaseUrl = LoopbackWebApp.BaseUrl(app);
        return gateway;
    }

    /// <summary>The gateway's own TwiML builder, so the double is proven to follow what the SDK writes.</summary>
    private string DefaultTwiml() => CallAnswerTwiml.ConnectStream(StreamUrl, [new("token", "token-123"), new("business", "demo")]);

    private async Task KeepAsync(HttpContext http)
    {
        var form = await http.Request.ReadFormAsync();
        var pairs = form.SelectMany(f => f.Value.Select(v => new KeyValuePair<string, string>(f.Key, v ?? ""))).ToList();
        var url = BaseUrl + http.Request.Path + http.Request.QueryString;
        var valid = TwilioSignature.IsValid(AuthToken, url, pairs, http.Request.Headers[TwilioSignature.HeaderName]);
        Requests.Enqueue(new GatewayRequest(http.Request.Path, pairs, valid, http.Request.Headers["I-Twilio-Idempotency-Token"], DateTimeOffset.UtcNow));
    }

    private async Task AcceptStreamAsync(HttpContext http)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        UpgradeSignaturesValid.Enqueue(TwilioSignature.IsValid(AuthToken, StreamUrl, [], http.Request.Headers[TwilioSignature.HeaderName]));
        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        if (AbortStream)
        {
            http.Abort();
            return;
        }
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                return;
            }
            message.Write(buffer, 0, result.Count);
            if (!result.EndOfMessage)
            {
                continue;
            }
            var text = Encoding.UTF8.GetString(message.ToArray());
            message.SetLength(0);
            MediaMessages.Enqueue(text);
            using var json = JsonDocument.Parse(text);
            if (json.RootElement.GetProperty("event").GetString() == "start")
            {
                var start = json.RootElement.GetProperty("start");
                await OnStartAsync(socket, start.GetProperty("callSid").GetString()!, start.GetProperty("streamSid").GetString()!);
            }
        }
    }

    private async Task OnStartAsync(WebSocket socket, string callSid, string streamSid)
    {
        if (StartRecording)
        {
            await StartRecordingAsync(callSid);
            if (StartRecordingTwice)
            {
                await StartRecordingAsync(callSid);
            }
        }
        // The greeting goes out in 200 ms pieces, as a gateway streaming TTS would, then a mark after it.
        foreach (var piece in Greeting.Chunk(1600))
        {
            await SendAsync(socket, new { @event = "media", streamSid, media = new { payload = Convert.ToBase64String(piece) } });
        }
        await SendAsync(socket, new { @event = "mark", streamSid, mark = new { name = "greeting-done" } });
        if (ClearAfterGreeting)
        {
            await SendAsync(socket, new { @event = "clear", streamSid });
        }
    }

    public async Task<RecordingStart> StartRecordingAsync(string callSid)
    {
        using var form = new FormUrlEncodedContent(
        [
            new("RecordingChannels", "dual"),
            new("RecordingStatusCallback", $"{BaseUrl}/twilio/recording/status"),
            new("RecordingStatusCallbackEvent", "in-progress completed absent"),
            new("RecordingStatusCallbackMethod", "POST"),
        ]);
        using var response = await _twilio.PostAsync($"{DoubleBaseUrl}/2010-04-01/Accounts/{AccountSid}/Calls/{callSid}/Recordings.json", form);
        var started = new RecordingStart((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        RecordingStarts.Enqueue(started);
        return started;
    }

    private static Task SendAsync(WebSocket socket, object message) =>
        socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message), WebSocketMessageType.Text, true, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        _twilio.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
