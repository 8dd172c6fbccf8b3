using System.Text.Json;
using System.Text.Json.Nodes;
using CallPipeline.Data;
using CallPipeline.Voice.Businesses;
using CallPipeline.Voice.Operator;
using CallPipeline.Webhooks.Operator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CallPipeline.Voice.Apis;

/// <summary>The operator API's businesses (<c>/api/businesses</c>, behind the X-Api-Key filter).</summary>
public static class BusinessesApi
{
    public static IEndpointRouteBuilder MapBusinessesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/businesses").AddEndpointFilter<ApiKeyFilter>();
        api.MapGet("/", ListAsync).WithName("ListBusinesses").WithSummary("Every business, active or not, by id.");
        api.MapPost("/", CreateAsync).WithName("CreateBusiness").WithSummary("Creates a business; the answer carries its webhook secret, once.");
        api.MapGet("/{id:int}", GetAsync).WithName("GetBusiness").WithSummary("One business, without its webhook secret.");
        api.MapPatch("/{id:int}", UpdateAsync).WithName("UpdateBusiness").WithSummary("Changes the fields given; null clears an optional one.");
        api.MapDelete("/{id:int}", DeactivateAsync).WithName("DeleteBusiness").WithSummary("Deactivates the business; its calls keep it.");
        api.MapWebhookSecretApi().MapBusinessWebhooksApi();
        return app;
    }

    private static async Task<Ok<List<BusinessRecord>>> ListAsync(CallPipelineDbContext db, CancellationToken cancellationToken, bool? active = null)
    {
        var businesses = await db.Businesses.AsNoTracking()
            .Where(b => active == null || b.IsActive == active)
            .OrderBy(b => b.Id)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(businesses.Select(BusinessRecord.From).ToList());
    }

    private static async Task<Results<Ok<BusinessRecord>, NotFound<ProblemDetails>>> GetAsync(int id, CallPipelineDbContext db, CancellationToken cancellationToken) =>
        await db.Businesses.AsNoTracking().SingleOrDefaultAsync(b => b.Id == id, cancellationToken) is { } business
            ? TypedResults.Ok(BusinessRecord.From(business))
            : NotFound(id);

    private static async Task<Results<Created<CreatedBusinessRecord>, ValidationProblem, Conflict<ProblemDetails>>> CreateAsync(
        BusinessBody body, BusinessEditor editor, CancellationToken cancellationToken)
    {
        var edit = await editor.CreateAsync(body, cancellationToken);
        return edit.Status switch
        {
            BusinessEditStatus.Done => TypedResults.Created(
                $"/api/businesses/{edit.Business!.Id}", new CreatedBusinessRecord(BusinessRecord.From(edit.Business), edit.Business.WebhookSecret!)),
            BusinessEditStatus.Conflict => Conflict(edit.Conflict!),
            _ => TypedResults.ValidationProblem(edit.Errors!),
        };
    }

    /// <summary>
    /// A JSON merge patch (RFC 7396) of <see cref="BusinessBody"/>: the object is read as a node first to know which fields
    /// it carries, since the typed body cannot tell a missing field from a null one.
    /// </summary>
    private static async Task<Results<Ok<BusinessRecord>, ValidationProblem, NotFound<ProblemDetails>, Conflict<ProblemDetails>>> UpdateAsync(
        int id, JsonObject patch, BusinessEditor editor, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken cancellationToken)
    {
        BusinessBody body;
        try
        {
            body = patch.Deserialize<BusinessBody>(json.Value.SerializerOptions)!;
        }
        catch (JsonException ex)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [ex.Path ?? "body"] = ["Not a field of a business, or a value of the wrong type."] });
        }
        var given = new HashSet<string>(patch.Select(p => p.Key), StringComparer.OrdinalIgnoreCase);
        var edit = await editor.UpdateAsync(id, body, given, cancellationToken);
        return edit.Status switch
        {
            BusinessEditStatus.Done => TypedResults.Ok(BusinessRecord.From(edit.Business!)),
            BusinessEditStatus.NotFound => NotFound(id),
            BusinessEditStatus.Conflict => Conflict(edit.Conflict!),
            _ => TypedResults.ValidationProblem(edit.Errors!),
        };
    }

    private static async Task<Results<NoContent, NotFound<ProblemDetails>>> DeactivateAsync(int id, BusinessEditor editor, CancellationToken cancellationToken) =>
        (await editor.DeactivateAsync(id, cancellationToken)).Status == BusinessEditStatus.Done ? TypedResults.NoContent() : NotFound(id);

    private static NotFound<ProblemDetails> NotFound(int id) =>
        TypedResults.NotFound(new ProblemDetails { Title = "Business not found", Detail = $"No business {id}.", Status = StatusCodes.Status404NotFound });

    private static Conflict<ProblemDetails> Conflict(string detail) =>
        TypedResults.Conflict(new ProblemDetails { Title = "Phone number taken", Detail = detail, Status = StatusCodes.Status409Conflict });
}
