using System.Text;
using CallPipeline.Tests.DevDoubles.OpenAi.Support;
using CallPipeline.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace CallPipeline.Tests.DevDoubles;

/// <summary>The dev doubles run in Development, and still answer errors with ProblemDetails, never an exception page.</summary>
public sealed class ErrorResponseTests
{
    [Fact]
    public async Task Malformed_json_is_400_problem_details_without_a_stack_trace_in_development()
    {
        await using var host = OpenAiDoubleHost.Start();

        using var response = await host.Http.PostAsync("/v1/_double/faults", new StringContent("{\"endpoint\": ", Encoding.UTF8, "application/json"));

        await ErrorResponses.AssertProblemAsync(response, StatusCodes.Status400BadRequest);
    }

    [Fact]
    public async Task An_unhandled_error_is_500_problem_details_without_a_stack_trace_in_development()
    {
        await using var host = OpenAiDoubleHost.Start(services: ErrorResponses.ThrowFromHealthEndpoint);

        using var response = await host.Http.GetAsync("/health");

        await ErrorResponses.AssertProblemAsync(response, StatusCodes.Status500InternalServerError);
    }
}
