extern alias chaos;
extern alias worker;

using chaos::CallPipeline.Chaos;
using chaos::CallPipeline.Chaos.Graph;
using CallPipeline.Webhooks.Dispatch;
using Microsoft.Extensions.Configuration;
using worker::CallPipeline.Worker.Queue;

namespace CallPipeline.Tests.Chaos;

/// <summary>The chaos run's command line and the settings it gives the graph: they must mean what the services read.</summary>
public sealed class ChaosSettingsTests
{
    [Fact]
    public void Every_shortened_timing_is_bound_by_the_worker_to_the_value_the_run_documents()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(ShortTimings.All.SelectMany(t => t.Environment).Select(e => KeyValuePair.Create(e.Key.Replace("__", ":", StringComparison.Ordinal), (string?)e.Value)))
            .Build();

        var worker = configuration.GetSection(QueueOptions.SectionName).Get<QueueOptions>()!;
        var dispatcher = configuration.GetSection(WebhookDispatcherOptions.SectionName).Get<WebhookDispatcherOptions>()!;

        Assert.Equal(TimeSpan.FromSeconds(20), worker.ClaimIdleTime);
        Assert.Equal(TimeSpan.FromSeconds(2), worker.ClaimCheckInterval);
        Assert.Equal(TimeSpan.FromSeconds(15), worker.ReconcileInterval);
        Assert.Equal(TimeSpan.FromMinutes(2), worker.ReconcileGracePeriod);
        Assert.Equal(TimeSpan.FromMinutes(1), worker.StalledCallGracePeriod);
        Assert.Equal(TimeSpan.FromSeconds(5), dispatcher.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(15), dispatcher.ClaimLease);
        Assert.Equal(8, dispatcher.MaxAttempts);
        Assert.Equal(TimeSpan.FromMinutes(1), dispatcher.EffectiveRetrySchedule[^1]);
        Assert.Empty(dispatcher.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(dispatcher)));
        Assert.All(ShortTimings.All, t => Assert.Equal("worker", t.Resource));
    }

    [Fact]
    public void The_documented_production_defaults_are_the_options_own_defaults()
    {
        var worker = new QueueOptions();
        var dispatcher = new WebhookDispatcherOptions();
        var documented = ShortTimings.All.ToDictionary(t => t.Setting, t => t.ProductionDefault);

        Assert.Equal(ShortTimings.Describe(worker.ClaimIdleTime), documented["Worker:ClaimIdleTime"]);
        Assert.Equal(ShortTimings.Describe(worker.ClaimCheckInterval), documented["Worker:ClaimCheckInterval"]);
        Assert.Equal(ShortTimings.Describe(worker.ReconcileInterval), documented["Worker:ReconcileInterval"]);
        Assert.Equal(ShortTimings.Describe(worker.ReconcileGracePeriod), documented["Worker:ReconcileGracePeriod"]);
        Assert.Equal(ShortTimings.Describe(worker.StalledCallGracePeriod), documented["Worker:StalledCallGracePeriod"]);
        Assert.Equal(ShortTimings.Describe(dispatcher.Timeout), documented["Webhooks:Dispatcher:Timeout"]);
        Assert.Equal(ShortTimings.Describe(dispatcher.ClaimLease), documented["Webhooks:Dispatcher:ClaimLease"]);
    }

    [Fact]
    public void The_command_line_takes_every_option_and_refuses_what_it_does_not_know()
    {
        var options = ChaosOptions.Parse(["--calls", "200", "--rate", "0.5", "--first-fault", "20", "--fault-every", "30", "--freeze", "5", "--receiver-window", "15", "--settle", "900"])!;

        Assert.Equal(200, options.Calls);
        Assert.Equal(0.5, options.CallsPerSecond);
        Assert.Equal(TimeSpan.FromSeconds(20), options.FirstFault);
        Assert.Equal(TimeSpan.FromSeconds(30), options.FaultEvery);
        Assert.Equal(TimeSpan.FromSeconds(5), options.PostgresFreeze);
        Assert.Equal(TimeSpan.FromSeconds(15), options.ReceiverWindow);
        Assert.Equal(TimeSpan.FromSeconds(900), options.Settle);
        Assert.Equal(TimeSpan.FromSeconds(400), options.PlacingTime);
        Assert.Equal(1000, ChaosOptions.Parse([])!.Calls);
        Assert.Null(ChaosOptions.Parse(["--calls"]));
        Assert.Null(ChaosOptions.Parse(["--calls", "many"]));
        Assert.Null(ChaosOptions.Parse(["--calls", "0"]));
        Assert.Null(ChaosOptions.Parse(["--kill-everything", "1"]));
    }
}
