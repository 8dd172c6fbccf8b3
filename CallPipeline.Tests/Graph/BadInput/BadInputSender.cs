using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using CallPipeline.Tests.Voice.Support;
using CallPipeline.Twilio.Security;

namespace CallPipeline.Tests.Graph.BadInput;

/// <summary>
/// Sends the corpus's inputs to the running graph and reports what came back in one short form: an HTTP status
/// ("403"), a WebSocket close ("close 1008"), or several of them in order. Any response body that carries a stack
/// trace or an exception's name is reported as such instead of its status, so no case can pass with one.
/// </summary>
internal sealed class BadInputSender(DistributedApplication app) : IDisposable
{
    public const string DemoBusinessNumber = "+97235550100";
    public const string Caller = "+972541234567";
    public const string OperatorKeyHeader = "X-Api-Key";
    private const int LargeBody = 1024 * 1024;

    private readonly HttpClient _voice = NoRedirects(app, "voice");
    private readonly HttpClient _doubles = NoRedirects(app, "devdoubles");

    /// <summary>The URL Twilio's double uses for the gateway, and so the URL every signature covers.</summary>
    public string VoiceBaseUrl { get; } = app.GetEndpoint("voice", "http").ToString().TrimEnd('/');

    public string AuthToken { get; } = PostCallGraph.ParameterValue(app, "twilio-auth-token");

    public string AccountSid { get; } = PostCallGraph.ParameterValue(app, "twilio-account-sid");

    public string OperatorKey { get; } = PostCallGraph.ParameterValue(app, "operator-api-key");

    public static string NewCallSid() => VoiceTestData.NewCallSid();

    public static string NewRecordingSid() => VoiceTestData.NewRecordingSid();

    public static string NewStreamSid() => VoiceTestData.NewStreamSid();

    public string Sign(string path, IEnumerable<KeyValuePair<string, string>> form, string? authToken = null) =>
        TwilioSignature.Compute(authToken ?? AuthToken, VoiceBaseUrl + path, form);

    /// <summary>A form as Twilio posts it; <paramref name="signature"/> null sends none.</summary>
    public Task<string> PostFormAsync(string path, IReadOnlyList<KeyValuePair<string, string>> form, string? signature) =>
        SendAsync(_voice, HttpMethod.Post, path, new FormUrlEncodedContent(form), signature is null ? [] : [(TwilioSignature.HeaderName, signature)]);

    /// <summary>A form signed correctly over exactly what is sent.</summary>
    public Task<string> PostSignedFormAsync(string path, IReadOnlyList<KeyValuePair<string, string>> form) =>
        PostFormAsync(path, form, Sign(path, form));

    /// <summary>Any bytes with any content type (null: none) and headers; chunked when <paramref name="chunked"/>.</summary>
    public Task<string> PostRawAsync(string path, byte[] body, string? contentType, IReadOnlyList<(string Name, string Value)> headers, bool chunked = false)
    {
        HttpContent content = chunked ? new StreamContent(new MemoryStream(body)) : new ByteArrayContent(body);
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }
        return SendAsync(_voice, HttpMethod.Post, path, content, headers, chunked);
    }

    public Task<string> VoiceAsync(HttpMethod method, string path, IReadOnlyList<(string Name, string Value)> headers, HttpContent? content = null) =>
        SendAsync(_voice, method, path, content, headers);

    /// <summary>The operator API with the right key, or with <paramref name="key"/> (an empty string sends an empty header; null none).</summary>
    public Task<string> OperatorAsync(HttpMethod method, string path, HttpContent? content = null, string? key = "") =>
        SendAsync(_voice, method, path, content, key switch
        {
            null => [],
            "" => [(OperatorKeyHeader, OperatorKey)],
            _ => [(OperatorKeyHeader, key)],
        });

    public Task<string> SimulatorAsync(HttpMethod method, string path, HttpContent? content = null) =>
        SendAsync(_doubles, method, path, content, []);

    /// <summary>Twilio's incoming-call webhook for a new call to the demo business; returns the call and its media stream token.</summary>
    public async Task<(string CallSid, string Token)> AnswerNewCallAsync()
    {
        var callSid = NewCallSid();
        KeyValuePair<string, string>[] form =
        [
            new("AccountSid", AccountSid), new("CallSid", callSid), new("From", Caller), new("To", DemoBusinessNumber),
            new("CallStatus", "ringing"), new("Direction", "inbound"), new("ApiVersion", "2010-04-01"),
        ];
        using var request = new HttpRequestMessage(HttpMethod.Post, "/twilio/voice/incoming") { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add(TwilioSignature.HeaderName, Sign("/twilio/voice/incoming", form));
        using var response = await _voice.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var streamUrl = VoiceHost.StreamUrl(await response.Content.ReadAsStringAsync());
        return (callSid, streamUrl[(streamUrl.LastIndexOf('/') + 1)..]);
    }

    /// <summary>The call's pipeline status and error reason from the operator API, or null while it has no record.</summary>
    public async Task<(string PipelineStatus, string? ErrorReason)?> CallRecordAsync(string callSid)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/calls/{callSid}");
        request.Headers.Add(OperatorKeyHeader, OperatorKey);
        using var response = await _voice.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }
        var call = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (call.GetProperty("pipelineStatus").GetString()!, call.TryGetProperty("errorReason", out var reason) ? reason.GetString() : null);
    }

    /// <summary>
    /// Opens the media WebSocket on <paramref name="path"/>, plays <paramref name="script"/> and reports how the gateway
    /// closed it ("close 1008"), or the HTTP status when it refused the upgrade.
    /// </summary>
    public async Task<string> MediaAsync(string path, Func<MediaStreamClient, Task> script, TimeSpan? closeWithin = null, IReadOnlyList<(string Name, string Value)>? headers = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        foreach (var (name, value) in headers ?? [])
        {
            socket.Options.SetRequestHeader(name, value);
        }
        using var connectTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await socket.ConnectAsync(new Uri("ws" + VoiceBaseUrl["http".Length..] + path), connectTimeout.Token);
        }
        catch (WebSocketException)
        {
            var status = socket.HttpStatusCode;
            socket.Dispose();
            return ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        await using var client = new MediaStreamClient(socket);
        try
        {
            await script(client);
        }
        catch (WebSocketException)
        {
            // The gateway closed while the script still sent: what it closed with is the answer.
        }
        var closed = await client.WaitForCloseAsync(closeWithin ?? TimeSpan.FromSeconds(30));
        return closed is { } code ? $"close {(int)code}" : "no close frame";
    }

    public void Dispose()
    {
        _voice.Dispose();
        _doubles.Dispose();
    }

    /// <summary>A random signature in Twilio's format (base64 of 20 bytes).</summary>
    public static string RandomSignature() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(20));

    private static async Task<string> SendAsync(
        HttpClient client, HttpMethod method, string path, HttpContent? content, IReadOnlyList<(string Name, string Value)> headers, bool chunked = false)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        // Each case on a connection of its own: many cases make the gateway close theirs (a refused body, a bad
        // request), and a pooled connection closed under the next case failed it with no answer at all.
        request.Headers.ConnectionClose = true;
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        if (chunked)
        {
            request.Headers.TransferEncodingChunked = true;
        }
        // A server refuses a body over its limit from the headers and closes; without waiting for 100-continue the
        // client would still be sending and see a reset instead of the 413.
        if (content?.Headers.ContentLength > LargeBody)
        {
            request.Headers.ExpectContinue = true;
        }
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return body.Contains("   at ", StringComparison.Ordinal) || body.Contains("Exception", StringComparison.Ordinal)
            ? $"{status} with a stack trace or an exception in its body"
            : status;
    }

    private static HttpClient NoRedirects(DistributedApplication app, string resource)
    {
        var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false })
        {
            BaseAddress = app.GetEndpoint(resource, "http"),
            Timeout = TimeSpan.FromSeconds(60),
        };
        return client;
    }
}
