using CallPipeline.ServiceDefaults;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Telemetry, health, service discovery and resilience shared by every service.
/// Same contract as the Aspire ServiceDefaults template, so a real Aspire AppHost can run these services unchanged.
/// </summary>
public static class Extensions
{
    public const string HealthEndpointPath = "/health";
    public const string AlivenessEndpointPath = "/alive";
    public const string LiveTag = "live";
    public const string ReadyTag = "ready";

    /// <summary>
    /// ASP.NET Core's own switch (<c>ASPNETCORE_DETAILEDERRORS</c>): only when true does a service answer errors with
    /// the developer exception page, whatever the environment. Otherwise every error is a ProblemDetails body.
    /// </summary>
    public const string DetailedErrorsKey = "DetailedErrors";

    public const string KestrelLimitsSection = "Kestrel:Limits";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.Services.AddProblemDetails();
        // Kestrel reads its endpoints from its configuration section but not its limits; bound here, a body limit such as
        // Kestrel:Limits:MaxRequestBodySize is a setting like any other (a larger body is 413).
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(kestrel => builder.Configuration.GetSection(KestrelLimitsSection).Bind(kestrel.Limits));
        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });
        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(builder.Environment.ApplicationName))
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName)
                .AddAspNetCoreInstrumentation(aspnet =>
                    aspnet.Filter = context =>
                        !context.Request.Path.StartsWithSegments(HealthEndpointPath)
                        && !context.Request.Path.StartsWithSegments(AlivenessEndpointPath))
                .AddHttpClientInstrumentation());

        builder.AddOpenTelemetryExporters();
        return builder;
    }

    private static TBuilder AddOpenTelemetryExporters<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }
        return builder;
    }

    /// <summary>
    /// The self check, and a deadline (<see cref="BoundedHealthChecks.TimeoutKey"/>) on every check registered by
    /// anyone, client integrations included, so /health answers in time when a dependency hangs.
    /// </summary>
    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        // The client integrations register their checks (Postgres, Redis) untagged: every check but liveness is about readiness.
        builder.Services.PostConfigure<HealthCheckServiceOptions>(options =>
        {
            foreach (var registration in options.Registrations.Where(r => !r.Tags.Contains(LiveTag)))
            {
                registration.Tags.Add(ReadyTag);
            }
        });
        builder.Services.AddOptions<HealthCheckServiceOptions>()
            .PostConfigure<IConfiguration>((options, configuration) => BoundedHealthChecks.Apply(options, BoundedHealthChecks.Timeout(configuration)));
        return builder;
    }

    /// <summary>
    /// Errors as ProblemDetails (an unhandled exception is a 500 without details, a <see cref="BadHttpRequestException"/>
    /// its own status and one information line instead of an error, an empty 4xx/5xx gets a body), then /health (every check) and /alive (live-tagged checks). The
    /// developer exception page only with <see cref="DetailedErrorsKey"/>, even in Development: stack traces name code and
    /// data. Health endpoints are mapped in every environment, unlike the template: the AppHost and Azure Container Apps
    /// probes depend on them, and they reveal no data.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        if (app.Configuration.GetValue<bool>(DetailedErrorsKey))
        {
            app.UseDeveloperExceptionPage();
        }
        else
        {
            // Inside the developer exception page WebApplication adds in Development, so that page never sees an exception.
            app.UseExceptionHandler(new ExceptionHandlerOptions
            {
                StatusCodeSelector = exception => exception is BadHttpRequestException badRequest ? badRequest.StatusCode : StatusCodes.Status500InternalServerError,
                SuppressDiagnosticsCallback = BadRequests.LogInsteadOfDiagnostics,
            });
        }
        app.UseStatusCodePages();

        app.MapHealthChecks(HealthEndpointPath);
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions { Predicate = r => r.Tags.Contains(LiveTag) });
        return app;
    }
}
