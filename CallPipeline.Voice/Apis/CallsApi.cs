using CallPipeline.Data;
using CallPipeline.Data.Entities;
using CallPipeline.Twilio.Rest;
using CallPipeline.Voice.Operator;
using CallPipeline.Voice.Recordings;
using CallPipeline.Voice.Retention;
using CallPipeline.Webhooks.Operator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace CallPipeline.Voice.Apis;

/// <summary>The operator API under <c>/api</c>, behind the X-Api-Key filter: calls, and the webhooks of each call.</summary>
public static class CallsApi
{
    public static IEndpointRouteBuilder MapCallsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").AddEndpointFilter<ApiKeyFilter>();
        api.MapGet("/calls", ListAsync).WithName("ListCalls").WithSummary("Calls, newest first, a page at a time, searched by number, CallSid, business, status and time.");
        api.MapPost("/calls", PlaceAsync).WithName("PlaceCall").WithSummary("Places an outbound call from a business's Twilio number.");
        api.MapPost("/calls/{callSid}/reprocess", ReprocessAsync).WithName("ReprocessCall").WithSummary("Runs the worker again for a failed call or one abandoned in processing.");
        api.MapGet("/calls/{callSid}", GetAsync).WithName("GetCall").WithSummary("The whole call log, with its webhook deliveries.");
        api.MapDelete("/calls/{callSid}/data", EraseAsync).WithName("EraseCallData").WithSummary("Erases the call's recording and text at once; its metadata stays.");
        api.MapGet("/calls/{callSid}/recording", PlayAsync).WithName("PlayRecording").WithSummary("The call's recording, with HTTP byte ranges.");
        api.MapWebhookRedeliveryApi().MapWebhookDeliveriesApi();
        return app;
    }

    /// <summary>Every filter is optional and they combine with AND; see <see cref="CallSearch"/>.</summary>
    private static async Task<Results<Ok<CallPage>, ValidationProblem>> ListAsync(
        CallPipelineDbContext db,
        CancellationToken cancellationToken,
        int page = 1,
        int pageSize = Paging.DefaultPageSize,
        string? number = null,
        string? callSid = null,
        string? businessId = null,
        string? status = null,
        string? since = null,
        string? until = null)
    {
        var errors = Paging.Validate(page, pageSize);
        var search = CallSearch.Parse(number, callSid, businessId, status, since, until, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var calls = search.Apply(db.CallLogs.AsNoTracking());
        var total = await calls.CountAsync(cancellationToken);
        var items = await calls
            .OrderByDescending(c => c.StartedAt).ThenByDescending(c => c.Id)
            .Skip((page - 1) * pageSize).Take(pageSize)
            .Select(c => new CallSummaryRecord(
                c.CallSid, c.BusinessId, c.Direction, c.FromNumber, c.ToNumber, c.CallStatus, c.PipelineStatus,
                c.StartedAt, c.DurationSeconds, c.RecordingSid, c.ErrorReason, c.Business == null ? null : c.Business.Name))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new CallPage(page, pageSize, total, items));
    }

    private static async Task<Results<Accepted<PlacedCallRecord>, ValidationProblem, ProblemHttpResult>> PlaceAsync(
        OutboundCallRequestBody body, OutboundCalls calls, CancellationToken cancellationToken)
    {
        try
        {
            var result = await calls.PlaceAsync(body, cancellationToken);
            return result.Call is { } call
                ? TypedResults.Accepted($"/api/calls/{call.CallSid}", call)
                : TypedResults.ValidationProblem(new Dictionary<string, string[]> { [result.InvalidField!] = [result.Error!] });
        }
        catch (TwilioApiException ex)
        {
            var title = ex.StatusCode is null ? "Twilio could not be reached" : "Twilio refused the call";
            return TypedResults.Problem(title: title, detail: ex.Message, statusCode: StatusCodes.Status502BadGateway);
        }
    }

    private static async Task<Results<Accepted, NotFound<ProblemDetails>, Conflict<ProblemDetails>>> ReprocessAsync(
        string callSid, CallReprocessing reprocessing, CancellationToken cancellationToken)
    {
        var (outcome, status) = await reprocessing.QueueAsync(callSid, cancellationToken);
        return outcome switch
        {
            ReprocessOutcome.Queued => TypedResults.Accepted($"/api/calls/{callSid}"),
            ReprocessOutcome.NotFound => TypedResults.NotFound(new ProblemDetails { Title = "Call not found", Detail = $"No call {callSid}.", Status = StatusCodes.Status404NotFound }),
            ReprocessOutcome.NoRecording => TypedResults.Conflict(new ProblemDetails
            {
                Title = "Nothing to process",
                Detail = $"{callSid} has no Twilio recording to process again, or its data was erased.",
                Status = StatusCodes.Status409Conflict,
            }),
            _ => TypedResults.Conflict(new ProblemDetails
            {
                Title = "Only failed calls and calls abandoned in processing are processed again",
                Detail = $"{callSid} is {SnakeCaseEnumConverter<PipelineStatus>.ToSnakeCase(status.ToString()!)}.",
                Status = StatusCodes.Status409Conflict,
            }),
        };
    }

    private static async Task<Results<Ok<CallErasureRecord>, Accepted<CallErasureRecord>, NotFound<ProblemDetails>, Conflict<ProblemDetails>>> EraseAsync(
        string callSid, CallErasure erasure, CancellationToken cancellationToken)
    {
        var result = await erasure.EraseAsync(callSid, cancellationToken);
        return result.Outcome switch
        {
            CallErasureOutcome.Erased => TypedResults.Ok(result.Record),
            CallErasureOutcome.RecordingPending => TypedResults.Accepted($"/api/calls/{callSid}", result.Record),
            CallErasureOutcome.NotFound => TypedResults.NotFound(new ProblemDetails { Title = "Call not found", Detail = result.Detail, Status = StatusCodes.Status404NotFound }),
            _ => TypedResults.Conflict(new ProblemDetails { Title = "The call is being processed", Detail = result.Detail, Status = StatusCodes.Status409Conflict }),
        };
    }

    /// <summary><c>?format=wav</c> (default) or <c>mp3</c>, as Twilio serves them; the gateway's own copy is always WAV.</summary>
    private static async Task<Results<FileStreamHttpResult, PhysicalFileHttpResult, ValidationProblem, NotFound<ProblemDetails>, ProblemHttpResult>> PlayAsync(
        string callSid, RecordingPlayback playback, CancellationToken cancellationToken, string format = "wav")
    {
        if (!Enum.TryParse<RecordingFormat>(format, ignoreCase: true, out var parsed) || int.TryParse(format, out _))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["format"] = ["format is wav or mp3."] });
        }
        var result = await playback.OpenAsync(callSid, parsed, cancellationToken);
        return result.Outcome switch
        {
            PlaybackOutcome.Stream => TypedResults.Stream(result.Media!, result.ContentType, enableRangeProcessing: true),
            PlaybackOutcome.File => TypedResults.PhysicalFile(result.FilePath!, result.ContentType, enableRangeProcessing: true),
            PlaybackOutcome.NotFound => TypedResults.NotFound(new ProblemDetails { Title = "No recording", Detail = result.Detail, Status = StatusCodes.Status404NotFound }),
            _ => TypedResults.Problem(title: "Twilio did not give the recording", detail: result.Detail, statusCode: StatusCodes.Status502BadGateway),
        };
    }

    private static async Task<Results<Ok<CallRecord>, NotFound<ProblemDetails>>> GetAsync(
        string callSid, CallPipelineDbContext db, CancellationToken cancellationToken)
    {
        var call = await db.CallLogs.AsNoTracking().Include(c => c.Business).SingleOrDefaultAsync(c => c.CallSid == callSid, cancellationToken);
        if (call is null)
        {
            return TypedResults.NotFound(new ProblemDetails { Title = "Call not found", Detail = $"No call {callSid}.", Status = StatusCodes.Status404NotFound });
        }
        var webhooks = await WebhookDeliveryRecord.ForCallAsync(db, call.Id, cancellationToken);
        return TypedResults.Ok(CallRecord.Create(call, webhooks));
    }
}
