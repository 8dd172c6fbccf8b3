using CallPipeline.Voice.Operator;
using CallPipeline.Voice.QueueHealth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CallPipeline.Voice.Apis;

/// <summary>The operator API's queues (<c>/api/queues</c>, behind the X-Api-Key filter), for an operations page.</summary>
public static class QueuesApi
{
    public static IEndpointRouteBuilder MapQueuesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").AddEndpointFilter<ApiKeyFilter>();
        api.MapGet("/queues", Get).WithName("GetQueues").WithSummary("The queues as last measured: recording jobs, outbox, due webhooks, open dead letters.");
        return app;
    }

    /// <summary>
    /// The monitor's last measurement, never a fresh one, so polling the page costs Redis and Postgres nothing. Before the
    /// first measurement it is 200 with <c>takenAt: null</c> rather than 503: the gateway is fine, there is just nothing
    /// to show yet, and a page polling it needs no error path for a gateway that just started.
    /// </summary>
    private static Ok<QueueStatusRecord> Get(QueueMonitor monitor, TimeProvider time) =>
        TypedResults.Ok(QueueStatusRecord.From(monitor.Latest, time.GetUtcNow()));
}
