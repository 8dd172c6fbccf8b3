using CallPipeline.Webhooks.Secrets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CallPipeline.Webhooks.Operator;

public static class WebhookSecretApi
{
    /// <summary>
    /// Maps <c>POST {id}/webhook-secret/rotate</c> on the operator API's businesses group
    /// (<c>POST /api/businesses/{id}/webhook-secret/rotate</c>): the new secret, in this answer only.
    /// </summary>
    public static IEndpointRouteBuilder MapWebhookSecretApi(this IEndpointRouteBuilder businesses)
    {
        businesses.MapPost("/{id:int}/webhook-secret/rotate", RotateAsync)
            .WithName("RotateWebhookSecret")
            .WithSummary("A new webhook secret, shown once; the old one still signs for the grace period.");
        return businesses;
    }

    private static async Task<Results<Ok<RotatedWebhookSecret>, NotFound<ProblemDetails>>> RotateAsync(int id, HttpContext context, CancellationToken cancellationToken)
    {
        var rotation = ActivatorUtilities.GetServiceOrCreateInstance<WebhookSecretRotation>(context.RequestServices);
        return await rotation.RotateAsync(id, cancellationToken) is { } rotated
            ? TypedResults.Ok(rotated)
            : TypedResults.NotFound(new ProblemDetails { Title = "Business not found", Detail = $"No business {id}.", Status = StatusCodes.Status404NotFound });
    }
}
