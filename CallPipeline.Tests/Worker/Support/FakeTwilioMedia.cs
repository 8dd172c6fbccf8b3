using System.Collections.Concurrent;
using System.Net;
using System.Text;
using CallPipeline.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CallPipeline.Tests.Worker.Support;

/// <summary>
/// Twilio's recording media on Kestrel: <c>GET /2010-04-01/Accounts/{AccountSid}/Recordings/{RecordingSid}.wav|.mp3</c> with basic
/// auth, optionally 404 for the first requests (fresh recordings) or a 302 to a CDN on another host name (localhost vs 127.0.0.1).
/// </summary>
internal sealed class FakeTwilioMedia : IAsyncDisposable
{
    public const string AccountSid = "AC0123456789abcdef0123456789abcdef";
    public const string AuthToken = "test-auth-token-0123456789";
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<MediaRequest> _requests = new();
    private int _requestCount;

    private FakeTwilioMedia(WebApplication app, int port)
    {
        _app = app;
        BaseUrl = $"http://127.0.0.1:{port}";
        CdnBaseUrl = $"http://localhost:{port}";
    }

    /// <summary>The API host the worker trusts with credentials (Twilio:ApiBaseUrl).</summary>
    public string BaseUrl { get; }

    /// <summary>The same server under another host name, standing in for Twilio's media CDN.</summary>
    public string CdnBaseUrl { get; }

    public IReadOnlyList<MediaRequest> Requests => [.. _requests];

    /// <summary>The recording's bytes, served for every format.</summary>
    public byte[] Audio { get; set; } = [];

    public int NotFoundForFirstRequests { get; set; }

    public bool RedirectToCdn { get; set; }

    public string RecordingUrl(string recordingSid) => $"{BaseUrl}/2010-04-01/Accounts/{AccountSid}/Recordings/{recordingSid}";

    public static async Task<FakeTwilioMedia> StartAsync()
    {
        var port = FreePort.Next();
        var app = LoopbackWebApp.CreateBuilderOnLocalhost(port).Build();
        var fake = new FakeTwilioMedia(app, port);
        app.MapGet("/2010-04-01/Accounts/{account}/Recordings/{file}", (HttpContext context, string account) => fake.Recording(context, account));
        app.MapGet("/cdn/{file}", (HttpContext context) => fake.Record(context, 200, fake.Audio));
        await app.StartAsync();
        return fake;
    }

    private IResult Recording(HttpContext context, string account)
    {
        if (Interlocked.Increment(ref _requestCount) <= NotFoundForFirstRequests)
        {
            return Record(context, 404, null);
        }
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AccountSid}:{AuthToken}"));
        if (account != AccountSid || context.Request.Headers.Authorization.ToString() != expected)
        {
            return Record(context, 401, null);
        }
        if (RedirectToCdn)
        {
            Record(context, 302, null);
            return Results.Redirect($"{CdnBaseUrl}/cdn/{context.Request.RouteValues["file"]}{context.Request.QueryString}");
        }
        return Record(context, 200, Audio);
    }

    private IResult Record(HttpContext context, int status, byte[]? body)
    {
        _requests.Enqueue(new MediaRequest(
            context.Request.Host.Host, context.Request.Path + context.Request.QueryString, context.Request.Headers.Authorization.Count > 0, status));
        return body is null ? Results.StatusCode(status) : Results.Bytes(body, "audio/x-wav");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

internal sealed record MediaRequest(string Host, string PathAndQuery, bool HadAuthorization, int Status);
