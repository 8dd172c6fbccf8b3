using CallPipeline.Data;
using CallPipeline.Data.Entities;
using CallPipeline.Voice.DeadLetters;
using CallPipeline.Voice.Operator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace CallPipeline.Voice.Apis;

/// <summary>The operator API's dead letters (<c>/api/dead-letters</c>, behind the X-Api-Key filter): list, replay, delete.</summary>
public static class DeadLettersApi
{
    public static IEndpointRouteBuilder MapDeadLettersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/dead-letters").AddEndpointFilter<ApiKeyFilter>();
        api.MapGet("/", ListAsync).WithName("ListDeadLetters").WithSummary("Dead letters, the latest failure first, by kind, business, status and time.");
        api.MapGet("/{id:long}", GetAsync).WithName("GetDeadLetter").WithSummary("One dead letter.");
        api.MapPost("/{id:long}/replay", ReplayAsync).WithName("ReplayDeadLetter").WithSummary("Queues the work again, once however often it is asked.");
        api.MapPost("/replay", ReplayManyAsync).WithName("ReplayDeadLetters").WithSummary("Replays the open dead letters of a business and time range.");
        api.MapDelete("/{id:long}", DeleteAsync).WithName("DeleteDeadLetter").WithSummary("Forgets the dead letter; the call and its delivery stay as they are.");
        return app;
    }

    private static async Task<Results<Ok<DeadLetterPage>, ValidationProblem>> ListAsync(
        CallPipelineDbContext db,
        CancellationToken cancellationToken,
        string? kind = null,
        int? businessId = null,
        string? status = null,
        DateTimeOffset? from = null,
        DateTimeOffset? to = null,
        int page = 1,
        int pageSize = Paging.DefaultPageSize)
    {
        var errors = Paging.Validate(page, pageSize);
        DeadLetterKind? kindFilter = null;
        if (kind is not null)
        {
            // Query strings are matched as the JSON writes them (recording_job, webhook_delivery).
            if (Enum.TryParse<DeadLetterKind>(kind.Replace("_", "", StringComparison.Ordinal), ignoreCase: true, out var parsed) && !int.TryParse(kind, out _))
            {
                kindFilter = parsed;
            }
            else
            {
                errors["kind"] = ["kind is recording_job or webhook_delivery."];
            }
        }
        if (status is not (null or DeadLetterRecord.Open or DeadLetterRecord.Replayed))
        {
            errors["status"] = [$"status is {DeadLetterRecord.Open} or {DeadLetterRecord.Replayed}."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        // Npgsql writes timestamptz parameters in UTC only; a time sent with another offset is the same instant.
        (from, to) = (from?.ToUniversalTime(), to?.ToUniversalTime());
        var letters = db.DeadLetters.AsNoTracking()
            .Where(d => (kindFilter == null || d.Kind == kindFilter)
                && (businessId == null || d.BusinessId == businessId)
                && (status == null || (status == DeadLetterRecord.Open ? d.ReplayedAt == null : d.ReplayedAt != null))
                && (from == null || d.LastFailedAt >= from)
                && (to == null || d.LastFailedAt < to));
        var total = await letters.CountAsync(cancellationToken);
        var items = await letters.Include(d => d.WebhookDelivery)
            .OrderByDescending(d => d.LastFailedAt).ThenByDescending(d => d.Id)
            .Skip((page - 1) * pageSize).Take(pageSize)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new DeadLetterPage(page, pageSize, total, [.. items.Select(DeadLetterRecord.From)]));
    }

    private static async Task<Results<Ok<DeadLetterRecord>, NotFound<ProblemDetails>>> GetAsync(long id, CallPipelineDbContext db, CancellationToken cancellationToken) =>
        await db.DeadLetters.AsNoTracking().Include(d => d.WebhookDelivery).SingleOrDefaultAsync(d => d.Id == id, cancellationToken) is { } letter
            ? TypedResults.Ok(DeadLetterRecord.From(letter))
            : NotFound(id);

    private static async Task<Results<Accepted<DeadLetterRecord>, NotFound<ProblemDetails>, Conflict<ProblemDetails>>> ReplayAsync(
        long id, DeadLetterReplay replay, CancellationToken cancellationToken)
    {
        var result = await replay.ReplayAsync(id, cancellationToken);
        return result.Outcome switch
        {
            ReplayOutcome.Replayed or ReplayOutcome.AlreadyReplayed => TypedResults.Accepted($"/api/dead-letters/{id}", DeadLetterRecord.From(result.Letter!)),
            ReplayOutcome.NotFound => NotFound(id),
            _ => TypedResults.Conflict(new ProblemDetails { Title = "Nothing to replay", Detail = result.Reason, Status = StatusCodes.Status409Conflict }),
        };
    }

    private static async Task<Results<Ok<BulkReplayResult>, ValidationProblem>> ReplayManyAsync(
        BulkReplayRequest request, DeadLetterReplay replay, CancellationToken cancellationToken)
    {
        if (request.Limit is < 1 or > DeadLetterReplay.MaxBulk)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [$"limit is between 1 and {DeadLetterReplay.MaxBulk}."] });
        }
        return TypedResults.Ok(await replay.ReplayManyAsync(request, cancellationToken));
    }

    private static async Task<Results<NoContent, NotFound<ProblemDetails>>> DeleteAsync(long id, DeadLetterReplay replay, CancellationToken cancellationToken) =>
        await replay.DeleteAsync(id, cancellationToken) ? TypedResults.NoContent() : NotFound(id);

    private static NotFound<ProblemDetails> NotFound(long id) =>
        TypedResults.NotFound(new ProblemDetails { Title = "Dead letter not found", Detail = $"No dead letter {id}.", Status = StatusCodes.Status404NotFound });
}
