using CallPipeline.DevDoubles.Twilio;
using CallPipeline.DevDoubles.Twilio.Calls;
using CallPipeline.DevDoubles.Twilio.Recordings;
using CallPipeline.DevDoubles.Twilio.Webhooks;
using Microsoft.Extensions.Options;

namespace CallPipeline.DevDoubles.Twilio.Apis;

/// <summary>
/// The part of Twilio's REST API (2010-04-01) the system calls, at Twilio's paths: place and hang up calls, start a
/// call recording, fetch recordings and their media. Every request needs basic auth with the account's credentials.
/// </summary>
public static partial class TwilioRestApi
{
    public static IEndpointRouteBuilder MapTwilioRestApi(this IEndpointRouteBuilder app)
    {
        var account = app.MapGroup("/2010-04-01/Accounts/{accountSid}").AddEndpointFilter<TwilioBasicAuthFilter>();
        account.MapPost("/Calls.json", CreateCall).DisableAntiforgery();
        account.MapGet("/Calls/{callSid}.json", GetCall);
        account.MapPost("/Calls/{callSid}.json", UpdateCall).DisableAntiforgery();
        account.MapPost("/Calls/{callSid}/Recordings.json", StartRecording).DisableAntiforgery();
        account.MapGet("/Recordings/{file}", GetRecording);
        account.MapDelete("/Recordings/{file}", DeleteRecording);
        return app;
    }

    private static async Task<IResult> CreateCall(
        HttpRequest http, ICallCarrier carrier, IOptionsMonitor<TwilioDoubleOptions> options, IOptions<SimulatorOptions> simulatorOptions, TimeProvider time)
    {
        var form = await http.ReadFormAsync(http.HttpContext.RequestAborted);
        var to = form["To"].ToString();
        var from = form["From"].ToString();
        var url = form["Url"].ToString();
        if (to.Length == 0)
        {
            return TwilioApiError.InvalidParameter(21201, "No 'To' number is specified").ToResult();
        }
        if (from.Length == 0)
        {
            return TwilioApiError.InvalidParameter(21603, "A 'From' phone number is required.").ToResult();
        }
        if (!Uri.TryCreate(url, UriKind.Absolute, out _))
        {
            return TwilioApiError.InvalidParameter(21205, "Url parameter is required and must be an absolute URL.").ToResult();
        }
        var statusCallback = form["StatusCallback"].ToString();
        var events = form["StatusCallbackEvent"]
            .SelectMany(value => (value ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Append("completed")
            .ToHashSet(StringComparer.Ordinal);
        var call = new SimulatedCall
        {
            CallSid = TwilioSid.NewCall(),
            AccountSid = options.CurrentValue.AccountSid,
            From = from,
            To = to,
            Direction = TwilioDirections.OutboundApi,
            Outcome = CallOutcome.Answered,
            Text = simulatorOptions.Value.AnsweringText,
            TwimlUrl = url,
            StatusCallback = statusCallback.Length == 0 ? null : statusCallback,
            StatusCallbackEvents = events,
        };
        // Read before the call starts running: Twilio answers a new call queued, and a busy machine could otherwise
        // answer with a status the call reached meanwhile.
        var created = CallResource.Of(call, time.GetUtcNow());
        carrier.Place(call);
        return TypedResults.Json(created, TwilioJson.Options, statusCode: StatusCodes.Status201Created);
    }

    private static IResult GetCall(string callSid, SimulatedCalls calls, TimeProvider time, HttpRequest http) =>
        calls.Find(callSid) is { } call
            ? TypedResults.Json(CallResource.Of(call, time.GetUtcNow()), TwilioJson.Options)
            : TwilioApiError.NotFound(http.Path).ToResult();

    /// <summary>Status=completed (or canceled) hangs up; a call that already ended is not found, as on Twilio.</summary>
    private static async Task<IResult> UpdateCall(string callSid, HttpRequest http, SimulatedCalls calls, TimeProvider time)
    {
        var form = await http.ReadFormAsync(http.HttpContext.RequestAborted);
        if (calls.Find(callSid) is not { } call || CallStatuses.IsTerminal(call.Status))
        {
            return TwilioApiError.NotFound(http.Path).ToResult();
        }
        if (form["Status"].ToString() is "completed" or "canceled")
        {
            call.Record("hang-up-requested", form["Status"].ToString());
            call.RequestHangUp();
        }
        return TypedResults.Json(CallResource.Of(call, time.GetUtcNow()), TwilioJson.Options);
    }

    private static async Task<IResult> StartRecording(
        string callSid,
        HttpRequest http,
        SimulatedCalls calls,
        RecordingRegistry recordings,
        DataFolders folders,
        TwilioWebhookClient webhooks,
        DoublePublicUrl publicUrl,
        TimeProvider time,
        ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(TwilioRestApi).FullName!);
        var form = await http.ReadFormAsync(http.HttpContext.RequestAborted);
        if (calls.Find(callSid) is not { } call)
        {
            return TwilioApiError.NotFound(http.Path).ToResult();
        }
        if (call.Status != CallStatuses.InProgress)
        {
            return TwilioApiError.InvalidCallState($"Call {callSid} is not in-progress. Cannot record call.").ToResult();
        }
        if (call.Recording is { IsRecording: true } running)
        {
            LogAlreadyRecording(logger, callSid, running.Sid);
            return TwilioApiError.InvalidCallState($"Call {callSid} is already being recorded ({running.Sid}).").ToResult();
        }

        var request = RecordingRequest.FromForm(form);
        var recording = new CallRecording(TwilioSid.NewRecording(), callSid, call.AccountSid, request, folders.Recordings, time.GetUtcNow());
        if (!call.TryStartRecording(recording))
        {
            recording.Finish();
            return TwilioApiError.InvalidCallState($"Call {callSid} is already being recorded.").ToResult();
        }
        recordings.Add(recording);
        LogRecordingStarted(logger, callSid, recording.Sid, recording.Channels);
        if (request.Wants(RecordingStatuses.InProgress))
        {
            // Twilio sends in-progress right after answering the request; the call waits for it before its final callbacks.
            call.TrackCallback(Task.Run(() => webhooks.NotifyAsync(
                request.StatusCallback!, RecordingCallbackParameters.For(recording, publicUrl.BaseUrl), CancellationToken.None)));
        }
        return TypedResults.Json(RecordingResource.From(recording, time.GetUtcNow(), justCreated: true), TwilioJson.Options, statusCode: StatusCodes.Status201Created);
    }

    /// <summary>
    /// {RecordingSid}.json is the resource; {RecordingSid}, .wav and .mp3 are the media, 404 until it has propagated,
    /// with HTTP byte ranges.
    /// </summary>
    private static async Task<IResult> GetRecording(
        string file, HttpRequest http, RecordingRegistry recordings, RecordingMedia media, TimeProvider time)
    {
        var extension = Path.GetExtension(file);
        var sid = extension.Length == 0 ? file : file[..^extension.Length];
        if (recordings.Find(sid) is not { } recording)
        {
            return TwilioApiError.NotFound(http.Path).ToResult();
        }
        if (extension == ".json")
        {
            return TypedResults.Json(RecordingResource.From(recording, time.GetUtcNow()), TwilioJson.Options);
        }
        if (extension is not ("" or ".wav" or ".mp3") || !recording.IsMediaAvailable(time.GetUtcNow()))
        {
            return TwilioApiError.NotFound(http.Path).ToResult();
        }
        var channels = http.Query["RequestedChannels"].ToString() == "2" ? 2 : 1;
        if (channels > recording.Channels)
        {
            return TwilioApiError.InvalidParameter(20001, "RequestedChannels=2 is not available: the recording has one channel.").ToResult();
        }
        // Byte ranges, as the media's storage answers them (206, 416, Accept-Ranges), so players can seek.
        return extension == ".mp3"
            ? TypedResults.PhysicalFile(await media.Mp3PathAsync(recording, channels, http.HttpContext.RequestAborted), "audio/mpeg", enableRangeProcessing: true)
            : TypedResults.PhysicalFile(RecordingMedia.WavPath(recording, channels), "audio/x-wav", enableRangeProcessing: true);
    }

    /// <summary>
    /// <c>DELETE …/Recordings/{RecordingSid}.json</c>: 204 and the recording and its media are gone (its URLs answer 404);
    /// 404 (20404) for one that does not exist, deleted before included; 400 while it is still recording.
    /// </summary>
    private static IResult DeleteRecording(string file, HttpRequest http, RecordingRegistry recordings, ILoggerFactory loggers)
    {
        if (!file.EndsWith(".json", StringComparison.Ordinal) || recordings.Find(file[..^".json".Length]) is not { } recording)
        {
            return TwilioApiError.NotFound(http.Path).ToResult();
        }
        if (recording.IsRecording)
        {
            return TwilioApiError.InvalidParameter(21220, $"Recording {recording.Sid} is in progress and cannot be deleted.").ToResult();
        }
        recordings.Remove(recording.Sid);
        recording.DeleteFiles();
        LogRecordingDeleted(loggers.CreateLogger(typeof(TwilioRestApi).FullName!), recording.Sid);
        return TypedResults.NoContent();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Twilio double: recording {RecordingSid} deleted")]
    private static partial void LogRecordingDeleted(ILogger logger, string recordingSid);

    [LoggerMessage(Level = LogLevel.Information, Message = "Twilio double: recording {RecordingSid} started on {CallSid} ({Channels} channels)")]
    private static partial void LogRecordingStarted(ILogger logger, string callSid, string recordingSid, int channels);

    [LoggerMessage(Level = LogLevel.Information, Message = "Twilio double: {CallSid} already records {RecordingSid}; second start answered 400 (21220)")]
    private static partial void LogAlreadyRecording(ILogger logger, string callSid, string recordingSid);
}
