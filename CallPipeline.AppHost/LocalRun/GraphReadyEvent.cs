using Aspire.Hosting.Eventing;

namespace CallPipeline.AppHost.LocalRun;

/// <summary>Every resource of a local run is healthy (or, for the migrator, completed); published once.</summary>
internal sealed record GraphReadyEvent(IServiceProvider Services, string? DashboardLoginUrl) : IDistributedApplicationEvent;
