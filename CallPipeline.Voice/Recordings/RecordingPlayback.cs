using System.Net;
using System.Net.Http.Headers;
using CallPipeline.Data;
using CallPipeline.Data.StoredRecordings;
using CallPipeline.Twilio.Rest;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CallPipeline.Voice.Recordings;

public enum PlaybackOutcome
{
    /// <summary><see cref="Playback.Media"/> is the recording, seekable, of known length.</summary>
    Stream,
    /// <summary><see cref="Playback.FilePath"/> is the gateway's own recording of the media stream, on this machine (not stored in Postgres).</summary>
    File,
    NotFound,
    /// <summary>Twilio failed or refused, and there is no copy of our own to play instead.</summary>
    TwilioFailed,
}

public sealed record Playback(PlaybackOutcome Outcome, string? Detail = null, Stream? Media = null, string? FilePath = null, string? ContentType = null);

/// <summary>
/// A call's recording for the operator (<c>GET /api/calls/{callSid}/recording</c>): Twilio's media with the account's
/// credentials, streamed a range at a time, or the copy the gateway kept of the media stream (in Postgres, a chunk at a
/// time) when Twilio has none. It
/// never downloads the whole recording before answering and never queues a job (the original system's playback did
/// both, and timed out with 502s); it reads the same Twilio media URL rules as the worker's download.
/// </summary>
public sealed partial class RecordingPlayback(
    CallPipelineDbContext db, TwilioMediaClient media, IOptions<VoiceOptions> options, ILogger<RecordingPlayback> logger)
{
    public const string LocalContentType = "audio/wav";

    public async Task<Playback> OpenAsync(string callSid, RecordingFormat format, CancellationToken cancellationToken)
    {
        var call = await FindAsync(callSid, cancellationToken);
        if (call is null)
        {
            return new Playback(PlaybackOutcome.NotFound, $"No call {callSid}.");
        }
        // A child leg (outbound-dial) has no recording of its own: Twilio records the parent call.
        if (call.RecordingSid is null && call.StoredRecordingBytes is null && call.LocalRecordingPath is null && call.ParentCallSid is { } parentSid && await FindAsync(parentSid, cancellationToken) is { } parent)
        {
            call = parent;
        }
        if (call.RecordingErasedAt is { } erasedAt)
        {
            return new Playback(PlaybackOutcome.NotFound, $"The recording of {callSid} was erased at {erasedAt:O} ({call.RecordingErasedBy}).");
        }

        string? twilioProblem = null;
        var twilioFailed = false;
        if (call.RecordingUrl is not null || call.RecordingSid is not null)
        {
            var (playback, problem, failed) = await OpenAtTwilioAsync(call, format, cancellationToken);
            if (playback is not null)
            {
                LogPlayed(logger, callSid, "Twilio", playback.ContentType!);
                return playback;
            }
            (twilioProblem, twilioFailed) = (problem, failed);
        }
        if (call.StoredRecordingBytes is { } stored and > 0)
        {
            LogPlayed(logger, callSid, "the gateway's copy in Postgres", LocalContentType);
            return new Playback(PlaybackOutcome.Stream, Media: new StoredRecordingStream(db, call.Id, stored), ContentType: LocalContentType);
        }
        if (call.LocalRecordingPath is { } path && System.IO.File.Exists(path))
        {
            LogPlayed(logger, callSid, "the gateway's copy", LocalContentType);
            return new Playback(PlaybackOutcome.File, FilePath: path, ContentType: LocalContentType);
        }
        if (twilioProblem is null)
        {
            return new Playback(PlaybackOutcome.NotFound, $"Call {callSid} has no recording.");
        }
        LogNotPlayed(logger, callSid, twilioProblem);
        return new Playback(twilioFailed ? PlaybackOutcome.TwilioFailed : PlaybackOutcome.NotFound, twilioProblem);
    }

    private Task<PlaybackCall?> FindAsync(string callSid, CancellationToken cancellationToken) =>
        db.CallLogs.AsNoTracking().Where(c => c.CallSid == callSid)
            .Select(c => new PlaybackCall(c.Id, c.CallSid, c.ParentCallSid, c.RecordingSid, c.RecordingUrl, c.StoredRecordingBytes, c.LocalRecordingPath, c.RecordingErasedAt, c.RecordingErasedBy))
            .SingleOrDefaultAsync(cancellationToken);

    /// <returns>The playback; or why not, and whether Twilio failed (502) rather than had nothing (404).</returns>
    private async Task<(Playback? Playback, string? Problem, bool Failed)> OpenAtTwilioAsync(PlaybackCall call, RecordingFormat format, CancellationToken cancellationToken)
    {
        var refused = "";
        var baseUrl = call.RecordingUrl is { } stored ? media.ResolveMediaBase(stored, out refused) : media.MediaBaseFor(call.RecordingSid!);
        if (baseUrl is null)
        {
            return (null, $"the recording's URL is not played: {refused}", true);
        }
        var url = new Uri(baseUrl + (format == RecordingFormat.Mp3 ? ".mp3" : ".wav"));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.RecordingPlaybackTimeout);
        HttpResponseMessage? response = null;
        try
        {
            response = await media.GetAsync(url, new RangeHeaderValue(0, null), timeout.Token);
            var status = (int)response.StatusCode;
            switch (response.StatusCode)
            {
                case HttpStatusCode.OK or HttpStatusCode.PartialContent:
                    var contentType = response.Content.Headers.ContentType?.MediaType is { } type && type.StartsWith("audio/", StringComparison.Ordinal)
                        ? type
                        : format == RecordingFormat.Mp3 ? "audio/mpeg" : "audio/x-wav";
                    if (await RemoteMediaStream.OpenAsync(media, url, response, cancellationToken) is not { } stream)
                    {
                        return (null, "Twilio sent the recording without its length, so it cannot be played a range at a time", true);
                    }
                    response = null;
                    return (new Playback(PlaybackOutcome.Stream, Media: stream, ContentType: contentType), null, false);
                case HttpStatusCode.NotFound:
                    return (null, $"Twilio has no media for {call.RecordingSid ?? "the recording"} (deleted there, or not available yet)", false);
                case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden:
                    return (null, $"Twilio refused the account's credentials (HTTP {status})", true);
                default:
                    return (null, $"Twilio answered HTTP {status} for the recording", true);
            }
        }
        catch (TwilioMediaRedirectException ex)
        {
            return (null, $"Twilio's media could not be followed: {ex.Message}", true);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, $"Twilio did not answer within {options.Value.RecordingPlaybackTimeout.TotalSeconds:0} s", true);
        }
        catch (HttpRequestException ex)
        {
            return (null, $"Twilio could not be reached: {ex.HttpRequestError}", true);
        }
        finally
        {
            response?.Dispose();
        }
    }

    private sealed record PlaybackCall(
        long Id,
        string CallSid,
        string? ParentCallSid,
        string? RecordingSid,
        string? RecordingUrl,
        long? StoredRecordingBytes,
        string? LocalRecordingPath,
        DateTimeOffset? RecordingErasedAt,
        string? RecordingErasedBy);

    [LoggerMessage(1, LogLevel.Information, "Recording of {CallSid} played from {Source} as {ContentType}")]
    private static partial void LogPlayed(ILogger logger, string callSid, string source, string contentType);

    [LoggerMessage(2, LogLevel.Warning, "Recording of {CallSid} not played: {Problem}")]
    private static partial void LogNotPlayed(ILogger logger, string callSid, string problem);
}

public enum RecordingFormat
{
    Wav,
    Mp3,
}
