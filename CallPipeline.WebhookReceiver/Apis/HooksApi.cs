using System.Globalization;
using System.Text;
using CallPipeline.WebhookReceiver.Faults;
using CallPipeline.WebhookReceiver.Hooks;
using CallPipeline.Webhooks.Signing;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace CallPipeline.WebhookReceiver.Apis;

/// <summary>A business's webhook endpoint, as a business should write one: verify, deduplicate, then store.</summary>
public static partial class HooksApi
{
    public static IEndpointRouteBuilder MapHooksApi(this IEndpointRouteBuilder app)
    {
        var hooks = app.MapGroup("/hooks");
        hooks.MapPost("/{name}", ReceiveAsync);
        hooks.MapGet("/{name}", (string name, ReceivedWebhookStore store) => TypedResults.Ok(store.List(name)));
        hooks.MapPut("/{name}/secret", ReplaceSecret);
        return app;
    }

    /// <summary>
    /// <c>{"secret": "whsec_…"}</c>, several space-separated while a rotation's grace period lasts: what the business's
    /// endpoint verifies with from now on. The secret itself is never logged or echoed.
    /// </summary>
    private static Results<NoContent, ValidationProblem> ReplaceSecret(string name, HookSecretBody body, HookSecrets secrets, ILoggerFactory loggerFactory)
    {
        if (!WebhookSecret.TryParseList(body.Secret, out var parsed))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["secret"] = ["One or more space-separated whsec_ secrets."] });
        }
        secrets.Replace(name, body.Secret!);
        LogSecretReplaced(loggerFactory.CreateLogger(typeof(HooksApi).FullName!), name, parsed.Count);
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ProblemHttpResult, StatusCodeHttpResult>> ReceiveAsync(
        string name,
        HttpRequest request,
        ReceivedWebhookStore store,
        HookSecrets hookSecrets,
        FaultInjector faults,
        IOptionsMonitor<ReceiverOptions> options,
        TimeProvider timeProvider,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        var logger = loggerFactory.CreateLogger(typeof(HooksApi).FullName!);
        // Verify the exact bytes that arrived: re-serialising the JSON would change what was signed.
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(cancellationToken);
        var webhookId = request.Headers[StandardWebhookHeaders.Id].ToString();
        var timestamp = request.Headers[StandardWebhookHeaders.Timestamp].ToString();

        if (!WebhookSecret.TryParseList(hookSecrets.For(name), out var secrets))
        {
            return Reject(logger, name, webhookId, $"No valid secret is configured for hook '{name}'.");
        }

        var verification = StandardWebhookVerifier.Verify(
            webhookId, timestamp, request.Headers[StandardWebhookHeaders.Signature].ToString(), body, secrets,
            timeProvider.GetUtcNow(), options.CurrentValue.Tolerance);
        if (verification != WebhookVerificationResult.Valid)
        {
            return Reject(logger, name, webhookId, $"Standard Webhooks verification failed: {verification}.");
        }

        var attempt = store.CountAttempt(name, webhookId);
        var fault = faults.Current;
        if (fault.Delay > TimeSpan.Zero)
        {
            await Task.Delay(fault.Delay, timeProvider, cancellationToken);
        }

        if (FaultInjector.ShouldFail(fault, attempt))
        {
            if (fault.RetryAfter is not null)
            {
                request.HttpContext.Response.Headers.RetryAfter = fault.RetryAfter;
            }
            if (fault.Location is not null)
            {
                request.HttpContext.Response.Headers.Location = fault.Location;
            }
            LogInjectedFailure(logger, name, webhookId, attempt, fault.StatusCode);
            return TypedResults.StatusCode(fault.StatusCode);
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            [StandardWebhookHeaders.Id] = webhookId,
            [StandardWebhookHeaders.Timestamp] = timestamp,
            [StandardWebhookHeaders.Signature] = request.Headers[StandardWebhookHeaders.Signature].ToString(),
            ["content-type"] = request.ContentType ?? "",
            ["user-agent"] = request.Headers.UserAgent.ToString(),
        };
        var accepted = store.Accept(name, new ReceivedWebhook(
            webhookId, long.Parse(timestamp, CultureInfo.InvariantCulture), headers, body, attempt, timeProvider.GetUtcNow()));
        if (accepted == WebhookAcceptance.DuplicateWithOtherBody)
        {
            LogOtherBody(logger, name, webhookId, attempt, body.Length);
        }
        else
        {
            LogAccepted(logger, name, webhookId, attempt, accepted == WebhookAcceptance.Stored ? "stored" : "duplicate, already stored", body.Length);
        }

        if (FaultInjector.ShouldHang(fault))
        {
            // Processed, but the answer comes too late for the sender, which sends the same webhook-id again.
            LogHanging(logger, name, webhookId, attempt, fault.HangFor.TotalSeconds);
            try
            {
                await Task.Delay(fault.HangFor, timeProvider, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The sender gave up and closed the connection: nobody is left to answer.
            }
        }
        return TypedResults.NoContent();
    }

    private static ProblemHttpResult Reject(ILogger logger, string hook, string webhookId, string reason)
    {
        LogRejected(logger, hook, webhookId, reason);
        return TypedResults.Problem(reason, statusCode: StatusCodes.Status401Unauthorized, title: "Webhook rejected");
    }

    [LoggerMessage(1, LogLevel.Information, "Hook {Hook} accepted {WebhookId} (attempt {Attempt}): {Outcome}, {BodyLength} bytes")]
    private static partial void LogAccepted(ILogger logger, string hook, string webhookId, int attempt, string outcome, int bodyLength);

    [LoggerMessage(2, LogLevel.Warning, "Hook {Hook} rejected {WebhookId} with 401: {Reason}")]
    private static partial void LogRejected(ILogger logger, string hook, string webhookId, string reason);

    [LoggerMessage(6, LogLevel.Information, "Hook {Hook} now verifies with {SecretCount} secret(s)")]
    private static partial void LogSecretReplaced(ILogger logger, string hook, int secretCount);

    [LoggerMessage(3, LogLevel.Information, "Hook {Hook} answered {WebhookId} (attempt {Attempt}) with injected status {StatusCode}")]
    private static partial void LogInjectedFailure(ILogger logger, string hook, string webhookId, int attempt, int statusCode);

    [LoggerMessage(4, LogLevel.Information, "Hook {Hook} holds its answer to {WebhookId} (attempt {Attempt}) for {HangSeconds} s (injected hang)")]
    private static partial void LogHanging(ILogger logger, string hook, string webhookId, int attempt, double hangSeconds);

    [LoggerMessage(5, LogLevel.Warning, "Hook {Hook} received {WebhookId} (attempt {Attempt}) with another body than the stored one ({BodyLength} bytes): the id was reused for another event")]
    private static partial void LogOtherBody(ILogger logger, string hook, string webhookId, int attempt, int bodyLength);
}

public sealed record HookSecretBody(string? Secret);
