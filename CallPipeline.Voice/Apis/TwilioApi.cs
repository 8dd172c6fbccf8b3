using CallPipeline.Voice.Calls;
using CallPipeline.Voice.Recordings;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CallPipeline.Voice.Apis;

/// <summary>The form POSTs Twilio sends (paths are contracts), every one behind X-Twilio-Signature validation.</summary>
public static partial class TwilioApi
{
    private const string NotAForm = "The body is not a form (application/x-www-form-urlencoded).";

    public static IEndpointRouteBuilder MapTwilioApi(this IEndpointRouteBuilder app)
    {
        var twilio = app.MapGroup("").RequireTwilioSignature().DisableAntiforgery();
        twilio.MapPost(TwilioRoutes.IncomingCall, IncomingAsync).WithName("TwilioIncomingCall");
        twilio.MapPost(TwilioRoutes.CallStatus, CallStatusAsync).WithName("TwilioCallStatus");
        twilio.MapPost(TwilioRoutes.RecordingStatus, RecordingStatusAsync).WithName("TwilioRecordingStatus");
        return app;
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> IncomingAsync(
        HttpRequest request, IncomingCallHandler handler, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var (form, problem) = await ReadAsync(request, TwilioCallForm.Parse, cancellationToken);
        if (form is null)
        {
            return Refuse(request, loggers, problem);
        }
        return TypedResults.Content(await handler.HandleAsync(form, cancellationToken), "text/xml; charset=utf-8");
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> CallStatusAsync(
        HttpRequest request, CallStatusHandler handler, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var (form, problem) = await ReadAsync(request, TwilioCallForm.Parse, cancellationToken);
        if (form is null)
        {
            return Refuse(request, loggers, problem);
        }
        await handler.HandleAsync(form, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RecordingStatusAsync(
        HttpRequest request, RecordingStatusHandler handler, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var (form, problem) = await ReadAsync(request, TwilioRecordingForm.Parse, cancellationToken);
        if (form is null)
        {
            return Refuse(request, loggers, problem);
        }
        await handler.HandleAsync(form, cancellationToken);
        return TypedResults.NoContent();
    }

    private delegate TForm? FormParser<TForm>(IFormCollection form, out string? problem);

    private static async Task<(TForm? Form, string Problem)> ReadAsync<TForm>(HttpRequest request, FormParser<TForm> parse, CancellationToken cancellationToken)
        where TForm : class
    {
        if (!request.HasFormContentType)
        {
            return (null, NotAForm);
        }
        var form = parse(await request.ReadFormAsync(cancellationToken), out var problem);
        return (form, problem ?? "");
    }

    /// <summary>400 with the reason, which names fields and limits but no values, and one log line saying the same.</summary>
    private static ProblemHttpResult Refuse(HttpRequest request, ILoggerFactory loggers, string problem)
    {
        LogRefused(loggers.CreateLogger(typeof(TwilioApi).FullName!), request.Path, problem);
        return TypedResults.Problem(title: "Malformed Twilio request", detail: problem, statusCode: StatusCodes.Status400BadRequest);
    }

    [LoggerMessage(1, LogLevel.Warning, "Refused Twilio request to {Path} with 400: {Problem}")]
    private static partial void LogRefused(ILogger logger, PathString path, string problem);
}
