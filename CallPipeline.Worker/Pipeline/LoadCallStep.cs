using CallPipeline.Data;
using Microsoft.EntityFrameworkCore;

namespace CallPipeline.Worker.Pipeline;

/// <summary>Step a: the call log and the call's own business (by BusinessId, never by guessing from numbers).</summary>
public sealed partial class LoadCallStep(CallPipelineDbContext db, ILogger<LoadCallStep> logger)
{
    /// <returns>False when no call log has the job's CallSid.</returns>
    public async Task<bool> RunAsync(PipelineRun run, CancellationToken cancellationToken)
    {
        using var timer = run.Time(PipelineSteps.Load);
        var call = await db.CallLogs.Include(c => c.Business).SingleOrDefaultAsync(c => c.CallSid == run.Job.CallSid, cancellationToken);
        if (call is null)
        {
            return false;
        }
        run.Call = call;
        if (call.Business is null)
        {
            throw new PermanentPipelineException("the call has no business (BusinessId is empty), so there is no context to process it with");
        }
        run.Business = call.Business;
        if (!string.IsNullOrEmpty(run.Job.RecordingSid) && call.RecordingSid is { } saved && saved != run.Job.RecordingSid)
        {
            LogOtherRecording(logger, call.CallSid, run.Job.RecordingSid, saved);
        }
        LogLoaded(logger, call.CallSid, call.BusinessId!.Value, run.Delivery);
        return true;
    }

    [LoggerMessage(LogLevel.Information, "Call loaded for {CallSid}: business {BusinessId}, delivery {Delivery}")]
    private static partial void LogLoaded(ILogger logger, string callSid, int businessId, long delivery);

    [LoggerMessage(LogLevel.Warning, "Job for {CallSid} names recording {JobRecordingSid} but the call log has {SavedRecordingSid}; the call log's recording is used")]
    private static partial void LogOtherRecording(ILogger logger, string callSid, string jobRecordingSid, string savedRecordingSid);
}
