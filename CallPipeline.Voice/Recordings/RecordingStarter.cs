using CallPipeline.Data;
using CallPipeline.Twilio.Rest;
using CallPipeline.Twilio.Validation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CallPipeline.Voice.Recordings;

/// <summary>
/// Starts Twilio's dual-channel recording as the media stream starts (the original system started it late, twice, or
/// without a status callback) and saves its RecordingSid at once, unless the call is already being recorded.
/// </summary>
public sealed partial class RecordingStarter(
    IServiceScopeFactory scopes, IOptions<TwilioWebhookOptions> publicUrl, ILogger<RecordingStarter> logger)
{
    /// <summary>The call's RecordingSid: the one it already had, the one just started, or null when Twilio refused.</summary>
    public async Task<string?> EnsureRecordingAsync(string callSid, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CallPipelineDbContext>();
        var existing = await db.CallLogs.Where(c => c.CallSid == callSid).Select(c => c.RecordingSid).SingleOrDefaultAsync(cancellationToken);
        if (existing is not null)
        {
            LogAlreadyRecording(logger, callSid, existing);
            return existing;
        }

        string recordingSid;
        try
        {
            var client = scope.ServiceProvider.GetRequiredService<TwilioCallsClient>();
            recordingSid = (await client.StartCallRecordingAsync(callSid, publicUrl.Value.Url(TwilioRoutes.RecordingStatus), cancellationToken)).Sid;
        }
        catch (TwilioApiException exception)
        {
            LogStartFailed(logger, callSid, exception.Message);
            return null;
        }
        LogStarted(logger, callSid, recordingSid);

        // The recording callback may have saved it first; either way the call keeps one RecordingSid.
        await db.CallLogs.Where(c => c.CallSid == callSid && c.RecordingSid == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.RecordingSid, recordingSid).SetProperty(c => c.UpdatedAt, DateTimeOffset.UtcNow), cancellationToken);
        return recordingSid;
    }

    [LoggerMessage(1, LogLevel.Information, "Recording started for {CallSid}: {RecordingSid}")]
    private static partial void LogStarted(ILogger logger, string callSid, string recordingSid);

    [LoggerMessage(2, LogLevel.Information, "Recording not started for {CallSid}: already recording as {RecordingSid}")]
    private static partial void LogAlreadyRecording(ILogger logger, string callSid, string recordingSid);

    [LoggerMessage(3, LogLevel.Warning, "Recording could not be started for {CallSid}; the local recording remains: {Error}")]
    private static partial void LogStartFailed(ILogger logger, string callSid, string error);
}
