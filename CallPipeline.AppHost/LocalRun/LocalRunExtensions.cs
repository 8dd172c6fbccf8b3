using Microsoft.Extensions.DependencyInjection;

namespace CallPipeline.AppHost.LocalRun;

internal static class LocalRunExtensions
{
    /// <summary>Resource output on the console, and the resource table, state file and <see cref="GraphReadyEvent"/> once all are up.</summary>
    public static void AddLocalRunReport(this IDistributedApplicationBuilder builder, LocalRunOptions options)
    {
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<ResourceOutput>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ResourceOutput>());
        builder.Services.AddHostedService<LocalRunReporter>();
        builder.Eventing.Subscribe<BeforeStartEvent>((@event, _) =>
        {
            foreach (var project in @event.Model.Resources.OfType<ProjectResource>())
            {
                project.Annotations.Add(new EnvironmentCallbackAnnotation(PlainConsoleLogs));
            }
            return Task.CompletedTask;
        });
    }

    /// <summary>One line per entry and no colour codes, so the console, the dashboard and grep read a call's log lines alike.</summary>
    private static void PlainConsoleLogs(EnvironmentCallbackContext context)
    {
        context.EnvironmentVariables["Logging__Console__FormatterName"] = "simple";
        context.EnvironmentVariables["Logging__Console__FormatterOptions__SingleLine"] = "true";
        context.EnvironmentVariables["Logging__Console__FormatterOptions__ColorBehavior"] = "Disabled";
    }
}
