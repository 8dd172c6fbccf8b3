using System.Diagnostics.Metrics;
using CallPipeline.Data.Entities;
using CallPipeline.Tests.Infrastructure;
using CallPipeline.Tests.Support;
using CallPipeline.Tests.Worker.Support;
using Microsoft.Extensions.DependencyInjection;

namespace CallPipeline.Tests.Worker;

/// <summary>The worker's metrics, read from its own meter factory the way the OpenTelemetry exporter reads them.</summary>
[Trait("Category", "Infrastructure")]
public sealed class WorkerMetricsTests(InfrastructureFixture infrastructure) : IClassFixture<InfrastructureFixture>
{
    [Fact]
    public async Task A_processed_job_counts_as_processed_and_times_every_step()
    {
        await using var env = await WorkerTestEnvironment.CreateAsync(infrastructure);
        var business = await env.AddBusinessAsync();
        var call = await env.AddRecordedCallAsync(business.Id);
        await using var worker = WorkerHost.Start(env, "worker-a");
        using var measurements = new MeterMeasurements(worker.Services.GetRequiredService<IMeterFactory>());

        await env.EnqueueAsync(call);
        await env.WaitForStatusAsync(call.CallSid, PipelineStatus.Processed);

        var jobs = await Eventually.ReturnsAsync(
            () => Task.FromResult(measurements.Of("callpipeline.worker.jobs")), m => m.Count > 0, "the job is counted");
        Assert.Equal("processed", Assert.Single(jobs).Tags["outcome"]);
        var steps = measurements.Of("callpipeline.worker.step.duration").Select(m => m.Tags["step"]).ToList();
        Assert.Equal(["convert", "extract", "fetch", "load", "summarise", "transcribe"], steps.Order());
    }
}
