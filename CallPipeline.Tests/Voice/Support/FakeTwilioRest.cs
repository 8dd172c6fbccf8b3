using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace CallPipeline.Tests.Voice.Support;

/// <summary>A request as it arrived; a form key the SDK repeats (a list option) has several values.</summary>
internal sealed record TwilioRestRequest(string Method, Uri Url, string? Authorization, string? UserAgent, IReadOnlyDictionary<string, StringValues> Form)
{
    public string Path => Url.AbsolutePath;
}

/// <summary>
/// Twilio's REST API as far as the gateway uses it (start a call recording, place a call), answering with Twilio's JSON
/// shapes, which Twilio's SDK reads. The real double is the devdoubles service; this stands in for it as the primary
/// handler of the SDK's HttpClient.
/// </summary>
internal sealed partial class FakeTwilioRest : HttpMessageHandler
{
    private readonly ConcurrentQueue<TwilioRestRequest> _requests = new();

    /// <summary>When set, every request is answered with this status and Twilio's error body.</summary>
    public HttpStatusCode? FailWith { get; set; }

    public IReadOnlyList<TwilioRestRequest> Requests => [.. _requests];

    public ConcurrentDictionary<string, string> RecordingSids { get; } = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        var form = QueryHelpers.ParseQuery(body);
        var url = request.RequestUri!;
        _requests.Enqueue(new TwilioRestRequest(request.Method.Method, url, request.Headers.Authorization?.ToString(), request.Headers.UserAgent.ToString(), form));

        if (FailWith is { } status)
        {
            return Json(status, $$"""{"code":20500,"message":"Internal failure","more_info":"https://www.twilio.com/docs/errors/20500","status":{{(int)status}}}""");
        }

        if (request.Method == HttpMethod.Post && CallsPath().Match(url.AbsolutePath) is { Success: true } calls)
        {
            var callSid = "CA" + RandomNumberGenerator.GetHexString(32, lowercase: true);
            return Json(HttpStatusCode.Created, $$"""
                {"sid":"{{callSid}}","account_sid":"{{calls.Groups["account"].Value}}","status":"queued","direction":"outbound-api",
                 "to":"{{form["To"]}}","from":"{{form["From"]}}"}
                """);
        }

        var match = RecordingsPath().Match(url.AbsolutePath);
        if (request.Method != HttpMethod.Post || !match.Success)
        {
            return Json(HttpStatusCode.NotFound, """{"code":20404,"message":"The requested resource was not found","status":404}""");
        }

        var (account, call) = (match.Groups["account"].Value, match.Groups["call"].Value);
        var sid = "RE" + RandomNumberGenerator.GetHexString(32, lowercase: true);
        RecordingSids[call] = sid;
        return Json(HttpStatusCode.Created, $$"""
            {"account_sid":"{{account}}","api_version":"2010-04-01","call_sid":"{{call}}","conference_sid":null,"channels":2,
             "date_created":"Fri, 14 Oct 2016 21:56:34 +0000","date_updated":"Fri, 14 Oct 2016 21:56:34 +0000",
             "start_time":"Fri, 14 Oct 2016 21:56:34 +0000","price":null,"price_unit":null,"duration":null,"sid":"{{sid}}",
             "source":"StartCallRecordingAPI","status":"in-progress","error_code":null,"encryption_details":null,"track":"both",
             "uri":"/2010-04-01/Accounts/{{account}}/Calls/{{call}}/Recordings/{{sid}}.json"}
            """);
    }

    private static HttpResponseMessage Json(HttpStatusCode status, string json) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    [GeneratedRegex("^/2010-04-01/Accounts/(?<account>AC[0-9a-f]{32})/Calls/(?<call>CA[0-9a-f]{32})/Recordings\\.json$")]
    private static partial Regex RecordingsPath();

    [GeneratedRegex("^/2010-04-01/Accounts/(?<account>AC[0-9a-f]{32})/Calls\\.json$")]
    private static partial Regex CallsPath();
}
