using CallPipeline.Tests.Infrastructure;
using CallPipeline.Tests.Support;
using CallPipeline.Tests.Worker.Support;
using Microsoft.AspNetCore.Http;

namespace CallPipeline.Tests.Worker;

/// <summary>The worker serves only /health and /alive, and an error there is ProblemDetails too, never an exception page.</summary>
[Trait("Category", "Infrastructure")]
public sealed class WorkerErrorResponseTests(InfrastructureFixture infrastructure) : IClassFixture<InfrastructureFixture>
{
    [Fact]
    public async Task An_unhandled_error_is_500_problem_details_without_a_stack_trace_in_development()
    {
        await using var env = await WorkerTestEnvironment.CreateAsync(infrastructure);
        await using var worker = WorkerHost.Start(env, "worker-a", new Dictionary<string, string> { ["environment"] = "Development" }, ErrorResponses.ThrowFromHealthEndpoint);

        using var response = await worker.CreateClient().GetAsync("/health");

        await ErrorResponses.AssertProblemAsync(response, StatusCodes.Status500InternalServerError);
    }
}
