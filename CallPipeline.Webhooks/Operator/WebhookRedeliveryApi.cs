using CallPipeline.Webhooks.Redelivery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CallPipeline.Webhooks.Operator;

public static class WebhookRedeliveryApi
{
    /// <summary>
    /// Maps <c>POST calls/{callSid}/webhooks/redeliver</c> on the operator API group, which carries the <c>/api</c>
    /// prefix and the API key: <c>POST /api/calls/{callSid}/webhooks/redeliver[?eventType=call.completed]</c>.
    /// </summary>
    public static IEndpointRouteBuilder MapWebhookRedeliveryApi(this IEndpointRouteBuilder operatorApi)
    {
        operatorApi.MapPost("/calls/{callSid}/webhooks/redeliver", RedeliverAsync)
            .WithName("RedeliverCallWebhooks")
            .WithSummary("Send the call's webhooks again: same payload, same webhook-id, a fresh retry schedule from now.");
        return operatorApi;
    }

    private static async Task<Results<Accepted<RedeliveryResponse>, NotFound<ProblemDetails>>> RedeliverAsync(
        string callSid, string? eventType, HttpContext context, CancellationToken cancellationToken)
    {
        var redelivery = ActivatorUtilities.GetServiceOrCreateInstance<WebhookRedelivery>(context.RequestServices);
        var deliveries = await redelivery.RedeliverAsync(callSid, eventType, cancellationToken);
        if (deliveries is null)
        {
            return TypedResults.NotFound(new ProblemDetails { Title = "Call not found", Detail = $"No call {callSid}.", Status = StatusCodes.Status404NotFound });
        }
        if (deliveries.Count == 0)
        {
            return TypedResults.NotFound(new ProblemDetails
            {
                Title = "No webhook to redeliver",
                Detail = eventType is null ? $"Call {callSid} has no webhook delivery." : $"Call {callSid} has no {eventType} webhook delivery.",
                Status = StatusCodes.Status404NotFound,
            });
        }

        return TypedResults.Accepted(
            $"/api/calls/{callSid}",
            new RedeliveryResponse(callSid, [.. deliveries.Select(d => new RedeliveredWebhook(d.WebhookId, d.EventType, d.NextAttemptAt))]));
    }
}

public sealed record RedeliveryResponse(string CallSid, IReadOnlyList<RedeliveredWebhook> Webhooks);

public sealed record RedeliveredWebhook(string WebhookId, string EventType, DateTimeOffset NextAttemptAt);
