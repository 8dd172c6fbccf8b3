using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;

namespace CallPipeline.Tests.Support;

/// <summary>What every error response of every service must look like: a short ProblemDetails, never an exception page.</summary>
internal static class ErrorResponses
{
    /// <summary>The message of the exception <see cref="ThrowFromHealthEndpoint"/> throws; it must never reach a client.</summary>
    public const string UnhandledMessage = "unhandled failure the client must not see";

    /// <summary>Makes <c>/health</c> throw inside the endpoint, an unhandled error any service can be asked for.</summary>
    public static void ThrowFromHealthEndpoint(IServiceCollection services) =>
        services.Configure<HealthCheckOptions>(options => options.ResponseWriter = (_, _) => throw new InvalidOperationException(UnhandledMessage));

    /// <summary>Asserts the status, a ProblemDetails body, and nothing of an exception page, a stack trace or the exception's message.</summary>
    public static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, int status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"Expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", $"Expected a ProblemDetails body, got {response.Content.Headers.ContentType}: {body}");
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        Assert.DoesNotContain(UnhandledMessage, body, StringComparison.Ordinal);
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        return problem;
    }
}
