using CallPipeline.RecordingJobs;

namespace CallPipeline.Worker.Queue;

/// <summary>
/// What the consumer runs for each job it is given (the pipeline, registered scoped). It records on the call whatever
/// it decides, a final failure included, so the consumer only settles the entry from the <see cref="JobResult"/>.
/// </summary>
public interface IRecordingJobHandler
{
    Task<JobResult> HandleAsync(RecordingJob job, JobDelivery delivery, CancellationToken cancellationToken);
}
