using System.Globalization;
using System.Linq.Expressions;
using CallPipeline.Data;
using CallPipeline.Data.Entities;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace CallPipeline.Webhooks.Operator;

public static class BusinessWebhooksApi
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 200;

    /// <summary>
    /// Maps <c>GET {id}/webhooks</c> on the operator API's businesses group (<c>GET /api/businesses/{id}/webhooks?limit=20</c>):
    /// the business's latest webhook deliveries, those not going through first.
    /// </summary>
    public static IEndpointRouteBuilder MapBusinessWebhooksApi(this IEndpointRouteBuilder businesses)
    {
        businesses.MapGet("/{id:int}/webhooks", ListAsync)
            .WithName("ListBusinessWebhooks")
            .WithSummary("The business's most recent webhook deliveries with every attempt, failing ones first, then newest first.");
        return businesses;
    }

    /// <summary><c>limit</c> arrives as text and is parsed here, so a bad one is a 400 naming it rather than a bare 400.</summary>
    private static async Task<Results<Ok<IReadOnlyList<BusinessWebhookDeliveryRecord>>, ValidationProblem, NotFound<ProblemDetails>>> ListAsync(
        int id, CallPipelineDbContext db, CancellationToken cancellationToken, string? limit = null)
    {
        var take = DefaultLimit;
        if (!string.IsNullOrWhiteSpace(limit)
            && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out take) || take is < 1 or > MaxLimit))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [$"limit is a whole number between 1 and {MaxLimit}."] });
        }
        if (!await db.Businesses.AnyAsync(b => b.Id == id, cancellationToken))
        {
            return TypedResults.NotFound(new ProblemDetails { Title = "Business not found", Detail = $"No business {id}.", Status = StatusCodes.Status404NotFound });
        }
        var deliveries = await db.WebhookDeliveries.AsNoTracking()
            .Where(d => d.BusinessId == id)
            .OrderByDescending(BusinessWebhookDeliveryRecord.FailingRule)
            .ThenByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id)
            .Take(take)
            .Include(d => d.Attempts)
            .Select(d => new { d.CallLog!.CallSid, Delivery = d })
            .ToListAsync(cancellationToken);
        return TypedResults.Ok<IReadOnlyList<BusinessWebhookDeliveryRecord>>(
            [.. deliveries.Select(d => new BusinessWebhookDeliveryRecord(d.CallSid, BusinessWebhookDeliveryRecord.IsFailing(d.Delivery), WebhookDeliveryRecord.From(d.Delivery)))]);
    }
}

/// <summary>One of a business's webhook deliveries (<c>GET /api/businesses/{id}/webhooks</c>): the call it belongs to and the delivery as a call's record shows it.</summary>
/// <param name="Failing">
/// It has not gone through: it gave up (<c>failed</c>), it was turned off (<c>disabled</c>: the endpoint answered 410 or
/// the business's webhooks are off), or it is <c>pending</c> again after a failed attempt. These come first.
/// </param>
public sealed record BusinessWebhookDeliveryRecord(string CallSid, bool Failing, WebhookDeliveryRecord Delivery)
{
    /// <summary>Whether a delivery is failing, as SQL for the ordering and compiled for the answer: one rule for both.</summary>
    public static readonly Expression<Func<WebhookDelivery, bool>> FailingRule = d =>
        d.Status == WebhookDeliveryStatus.Failed || d.Status == WebhookDeliveryStatus.Disabled
        || (d.Status == WebhookDeliveryStatus.Pending && d.LastError != null);

    public static readonly Func<WebhookDelivery, bool> IsFailing = FailingRule.Compile();
}
