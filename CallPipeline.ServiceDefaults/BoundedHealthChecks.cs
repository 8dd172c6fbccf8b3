using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CallPipeline.ServiceDefaults;

/// <summary>
/// A deadline on every health check. <see cref="HealthCheckRegistration.Timeout"/> alone only cancels the check's token,
/// and checks that never look at it (the Redis check's PING, resolving a multiplexer that is still connecting, a blocked
/// socket read) would hold /health as long as the dependency hangs; this answers at the deadline whatever the check does.
/// Applied to the registrations after everyone has added theirs, so checks of client integrations are bounded too.
/// </summary>
internal static class BoundedHealthChecks
{
    public const string TimeoutKey = "HealthChecks:Timeout";

    /// <summary>Checks run in parallel, so /health answers within about this, under the 2 s probes usually allow.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(1.5);

    public static TimeSpan Timeout(IConfiguration configuration)
    {
        var timeout = configuration.GetValue(TimeoutKey, DefaultTimeout);
        return timeout > TimeSpan.Zero
            ? timeout
            : throw new InvalidOperationException($"{TimeoutKey} must be a positive duration, e.g. 00:00:01.5.");
    }

    public static void Apply(HealthCheckServiceOptions options, TimeSpan timeout)
    {
        foreach (var registration in options.Registrations)
        {
            var create = registration.Factory;
            registration.Factory = services => new BoundedHealthCheck(services.GetRequiredService<IServiceScopeFactory>(), create, timeout);
        }
    }

    private sealed class BoundedHealthCheck(IServiceScopeFactory scopes, Func<IServiceProvider, IHealthCheck> create, TimeSpan timeout) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            // On the thread pool, as creating the check or its first step may block before any await; in a scope of its
            // own, as the health service disposes its scope when this returns, perhaps long before the check ends.
            var check = Task.Run(
                async () =>
                {
                    await using var scope = scopes.CreateAsyncScope();
                    return await create(scope.ServiceProvider).CheckHealthAsync(context, deadline.Token);
                },
                CancellationToken.None);
            // Whenever the check ends, however late: free the deadline and observe a late failure.
            _ = check.ContinueWith(
                finished =>
                {
                    deadline.Dispose();
                    return finished.Exception;
                },
                CancellationToken.None,
                TaskContinuationOptions.None,
                TaskScheduler.Default);
            try
            {
                return await check.WaitAsync(timeout, cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && (ex is TimeoutException || deadline.IsCancellationRequested))
            {
                return new HealthCheckResult(context.Registration.FailureStatus, $"{context.Registration.Name} did not answer within {timeout.TotalSeconds:0.#} s");
            }
        }
    }
}
