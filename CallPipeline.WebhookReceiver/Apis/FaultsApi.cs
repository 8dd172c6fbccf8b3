using CallPipeline.WebhookReceiver.Faults;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CallPipeline.WebhookReceiver.Apis;

/// <summary>Lets tests and demos flip the receiver's faults at run time without restarting it.</summary>
public static class FaultsApi
{
    public static IEndpointRouteBuilder MapFaultsApi(this IEndpointRouteBuilder app)
    {
        var faults = app.MapGroup("/faults");
        faults.MapGet("/", (FaultInjector injector) => TypedResults.Ok(injector.Current));
        faults.MapPut("/", Results<Ok<FaultSettings>, ValidationProblem> (FaultSettings settings, FaultInjector injector) =>
        {
            if (Validate(settings) is { Count: > 0 } errors)
            {
                return TypedResults.ValidationProblem(errors);
            }
            injector.Replace(settings);
            return TypedResults.Ok(settings);
        });
        faults.MapDelete("/", (FaultInjector injector) =>
        {
            injector.ResetToConfiguration();
            return TypedResults.Ok(injector.Current);
        });
        return app;
    }

    private static Dictionary<string, string[]> Validate(FaultSettings settings)
    {
        var errors = new Dictionary<string, string[]>();
        if (settings.FailureRate is < 0 or > 1)
        {
            errors[nameof(FaultSettings.FailureRate)] = ["Must be between 0 and 1."];
        }
        if (settings.HangRate is < 0 or > 1)
        {
            errors[nameof(FaultSettings.HangRate)] = ["Must be between 0 and 1."];
        }
        if (settings.HangFor < TimeSpan.Zero || settings.HangFor > TimeSpan.FromMinutes(10))
        {
            errors[nameof(FaultSettings.HangFor)] = ["Must be between 0 and 10 minutes."];
        }
        if (settings.StatusCode is < 100 or > 599)
        {
            errors[nameof(FaultSettings.StatusCode)] = ["Must be an HTTP status code."];
        }
        if (settings.Delay < TimeSpan.Zero || settings.Delay > TimeSpan.FromMinutes(10))
        {
            errors[nameof(FaultSettings.Delay)] = ["Must be between 0 and 10 minutes."];
        }
        if (settings.FailFirstAttempts < 0)
        {
            errors[nameof(FaultSettings.FailFirstAttempts)] = ["Must not be negative."];
        }
        return errors;
    }
}
