using CallPipeline.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace CallPipeline.Webhooks.Operator;

public static class WebhookDeliveriesApi
{
    /// <summary>
    /// Maps <c>GET calls/{callSid}/webhooks</c> on the operator API group (<c>/api</c>, API key):
    /// the call's webhook deliveries with every attempt.
    /// </summary>
    public static IEndpointRouteBuilder MapWebhookDeliveriesApi(this IEndpointRouteBuilder operatorApi)
    {
        operatorApi.MapGet("/calls/{callSid}/webhooks", GetAsync)
            .WithName("GetCallWebhooks")
            .WithSummary("The call's webhook deliveries and every attempt (time, status, latency, error).");
        return operatorApi;
    }

    private static async Task<Results<Ok<IReadOnlyList<WebhookDeliveryRecord>>, NotFound<ProblemDetails>>> GetAsync(
        string callSid, CallPipelineDbContext db, CancellationToken cancellationToken)
    {
        var callId = await db.CallLogs.Where(c => c.CallSid == callSid).Select(c => (long?)c.Id).SingleOrDefaultAsync(cancellationToken);
        if (callId is null)
        {
            return TypedResults.NotFound(new ProblemDetails { Title = "Call not found", Detail = $"No call {callSid}.", Status = StatusCodes.Status404NotFound });
        }
        return TypedResults.Ok(await WebhookDeliveryRecord.ForCallAsync(db, callId.Value, cancellationToken));
    }
}
