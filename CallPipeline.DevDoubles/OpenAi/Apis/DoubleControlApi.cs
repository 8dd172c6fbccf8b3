using CallPipeline.DevDoubles.OpenAi.Faults;
using CallPipeline.DevDoubles.OpenAi.Requests;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CallPipeline.DevDoubles.OpenAi.Apis;

/// <summary>The double's own endpoints (not OpenAI's): what it was asked, and faults to inject, for tests and demos.</summary>
public static class DoubleControlApi
{
    public static RouteGroupBuilder MapDoubleControlApi(this RouteGroupBuilder control)
    {
        control.MapGet("/requests", (OpenAiRequestLog log) => TypedResults.Ok(log.List()));
        control.MapDelete("/requests", (OpenAiRequestLog log) =>
        {
            log.Clear();
            return TypedResults.NoContent();
        });

        control.MapGet("/faults", (OpenAiFaultInjector injector) => TypedResults.Ok(injector.List()));
        control.MapPost("/faults", Results<Ok<IReadOnlyList<OpenAiFault>>, ValidationProblem> (OpenAiFault fault, OpenAiFaultInjector injector) =>
        {
            if (Validate(fault) is { Count: > 0 } errors)
            {
                return TypedResults.ValidationProblem(errors);
            }
            injector.Add(fault);
            return TypedResults.Ok(injector.List());
        });
        control.MapDelete("/faults", (OpenAiFaultInjector injector) =>
        {
            injector.Clear();
            return TypedResults.NoContent();
        });
        return control;
    }

    private static Dictionary<string, string[]> Validate(OpenAiFault fault)
    {
        var errors = new Dictionary<string, string[]>();
        if (fault.Count < 0)
        {
            errors[nameof(OpenAiFault.Count)] = ["Must not be negative (0 means every matching request)."];
        }
        if (fault.StatusCode is < 400 or > 599)
        {
            errors[nameof(OpenAiFault.StatusCode)] = ["Must be an HTTP error status (400-599)."];
        }
        if (fault.RetryAfterSeconds is < 0)
        {
            errors[nameof(OpenAiFault.RetryAfterSeconds)] = ["Must not be negative."];
        }
        if (fault.Delay < TimeSpan.Zero || fault.Delay > TimeSpan.FromMinutes(10))
        {
            errors[nameof(OpenAiFault.Delay)] = ["Must be between 0 and 10 minutes."];
        }
        if (!string.IsNullOrEmpty(fault.Endpoint) && fault.Endpoint is not (OpenAiEndpoints.Transcriptions or OpenAiEndpoints.ChatCompletions))
        {
            errors[nameof(OpenAiFault.Endpoint)] = [$"Must be '{OpenAiEndpoints.Transcriptions}' or '{OpenAiEndpoints.ChatCompletions}'."];
        }
        return errors;
    }
}
