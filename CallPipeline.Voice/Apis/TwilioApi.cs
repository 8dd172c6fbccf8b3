using CallPipeline.Voice.Calls;
using CallPipeline.Voice.Recordings;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CallPipeline.Voice.Apis;

/// <summary>The form POSTs Twilio sends (paths are contracts), every one behind X-Twilio-Signature validation.</summary>
public static class TwilioApi
{
    public static IEndpointRouteBuilder MapTwilioApi(this IEndpointRouteBuilder app)
    {
        var twilio = app.MapGroup("/twilio").RequireTwilioSignature().DisableAntiforgery();
        twilio.MapPost("/voice/incoming", IncomingAsync).WithName("TwilioIncomingCall");
        twilio.MapPost("/voice/status", CallStatusAsync).WithName("TwilioCallStatus");
        twilio.MapPost("/recording/status", RecordingStatusAsync).WithName("TwilioRecordingStatus");
        return app;
    }

    private static async Task<Results<ContentHttpResult, BadRequest<string>>> IncomingAsync(
        HttpRequest request, IncomingCallHandler handler, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType || CallWebhookForm.Parse(await request.ReadFormAsync(cancellationToken)) is not { } form)
        {
            return TypedResults.BadRequest("A form with CallSid is required.");
        }
        return TypedResults.Content(await handler.HandleAsync(form, cancellationToken), "text/xml; charset=utf-8");
    }

    private static async Task<Results<NoContent, BadRequest<string>>> CallStatusAsync(
        HttpRequest request, CallStatusHandler handler, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType || CallWebhookForm.Parse(await request.ReadFormAsync(cancellationToken)) is not { } form)
        {
            return TypedResults.BadRequest("A form with CallSid is required.");
        }
        await handler.HandleAsync(form, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, BadRequest<string>>> RecordingStatusAsync(
        HttpRequest request, RecordingStatusHandler handler, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType || RecordingCallbackForm.Parse(await request.ReadFormAsync(cancellationToken)) is not { } form)
        {
            return TypedResults.BadRequest("A form with CallSid, RecordingSid and RecordingStatus is required.");
        }
        await handler.HandleAsync(form, cancellationToken);
        return TypedResults.NoContent();
    }
}
