using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using CallPipeline.Twilio.Security;
using Microsoft.AspNetCore.Http;

namespace CallPipeline.Benchmarks.Graph;

/// <summary>
/// Lets the benchmark say when a call ends for the pipeline. The voice gateway's recording starts come here (its
/// Twilio REST base URL is the benchmark's); they are passed on to the graph's Twilio double with the recording status
/// callback pointed back here. The double records the call and reports the finished recording here; that callback is
/// held until <see cref="ReleaseAsync"/> posts it to the gateway, signed as Twilio signs, so many calls can end at the
/// same moment, and the moment is known. Callbacks that are not final (in-progress) go on to the gateway at once.
/// </summary>
public sealed class HeldRecordingCallbacks(Uri ownBaseUrl) : IDisposable
{
    public const string CallbackPath = "/held/recording-status";

    private static readonly HashSet<string> FinalStatuses = ["completed", "absent", "failed"];

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private readonly ConcurrentDictionary<string, string> _gatewayCallbacks = new();
    private readonly ConcurrentDictionary<string, List<KeyValuePair<string, string>>> _held = new();

    /// <summary>Where recording starts go: the graph's Twilio double; null answers them here without recording (the gateway load).</summary>
    public Uri? TwilioDouble { get; set; }

    /// <summary>The account the gateway checks signatures with.</summary>
    public TwilioAccount? Account { get; set; }

    /// <summary>The recording start: answered in Twilio's shape, or passed on to the double with the callback pointed here.</summary>
    public async Task<IResult> StartRecordingAsync(HttpRequest request, string account, string call)
    {
        if (TwilioDouble is not { } twilioDouble)
        {
            return Results.Json(new Dictionary<string, object?>
            {
                ["sid"] = Sid("RE"), ["account_sid"] = account, ["call_sid"] = call, ["status"] = "in-progress", ["channels"] = 2,
                ["source"] = "StartCallRecordingAPI", ["uri"] = $"/2010-04-01/Accounts/{account}/Calls/{call}/Recordings.json",
            }, statusCode: StatusCodes.Status201Created);
        }
        var form = await request.ReadFormAsync();
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var (key, values) in form)
        {
            foreach (var value in values)
            {
                if (key == "RecordingStatusCallback")
                {
                    _gatewayCallbacks[call] = value ?? "";
                    fields.Add(new(key, new Uri(ownBaseUrl, CallbackPath).ToString()));
                }
                else
                {
                    fields.Add(new(key, value ?? ""));
                }
            }
        }
        using var relayed = new HttpRequestMessage(HttpMethod.Post, new Uri(twilioDouble, request.Path.Value)) { Content = new FormUrlEncodedContent(fields) };
        relayed.Headers.Authorization = AuthenticationHeaderValue.Parse(request.Headers.Authorization.ToString());
        using var answer = await _http.SendAsync(relayed);
        return Results.Content(await answer.Content.ReadAsStringAsync(), answer.Content.Headers.ContentType?.ToString(), statusCode: (int)answer.StatusCode);
    }

    /// <summary>The double's recording status callback: a final one is held, any other goes to the gateway now.</summary>
    public async Task<IResult> ReceiveAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        var fields = form.SelectMany(f => f.Value.Select(v => new KeyValuePair<string, string>(f.Key, v ?? ""))).ToList();
        var call = form["CallSid"].ToString();
        if (FinalStatuses.Contains(form["RecordingStatus"].ToString()))
        {
            _held[call] = fields;
            return Results.Ok();
        }
        using var answer = await PostToGatewayAsync(call, fields);
        return Results.StatusCode((int)answer.StatusCode);
    }

    /// <summary>Waits until every call's final recording callback is held here.</summary>
    public async Task WaitForAsync(IReadOnlyCollection<string> callSids, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (callSids.Any(sid => !_held.ContainsKey(sid)))
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"{callSids.Count(sid => !_held.ContainsKey(sid))} of {callSids.Count} calls did not end with a recording within {timeout}.");
            }
            await Task.Delay(250, cancellationToken);
        }
    }

    /// <summary>Posts the call's held callback to the gateway; returns when it was sent (a Stopwatch timestamp) once the gateway answered 2xx.</summary>
    public async Task<long> ReleaseAsync(string callSid)
    {
        if (!_held.TryRemove(callSid, out var fields))
        {
            throw new InvalidOperationException($"No recording callback is held for {callSid}.");
        }
        var sent = Stopwatch.GetTimestamp();
        using var answer = await PostToGatewayAsync(callSid, fields);
        answer.EnsureSuccessStatusCode();
        return sent;
    }

    public void Dispose() => _http.Dispose();

    private async Task<HttpResponseMessage> PostToGatewayAsync(string callSid, List<KeyValuePair<string, string>> fields)
    {
        var account = Account ?? throw new InvalidOperationException("No Twilio account to sign the gateway's callbacks with.");
        var url = _gatewayCallbacks.TryGetValue(callSid, out var gatewayUrl) ? gatewayUrl : throw new InvalidOperationException($"The gateway asked for no recording of {callSid}.");
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add(TwilioSignature.HeaderName, TwilioSignature.Compute(account.AuthToken, url, fields));
        return await _http.SendAsync(request);
    }

    private static string Sid(string prefix) => prefix + System.Security.Cryptography.RandomNumberGenerator.GetHexString(32, lowercase: true);
}
