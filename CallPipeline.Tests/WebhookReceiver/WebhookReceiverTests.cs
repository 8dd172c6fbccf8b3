extern alias receiver;

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CallPipeline.Tests.Support;
using CallPipeline.Webhooks.Signing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace CallPipeline.Tests.WebhookReceiver;

/// <summary>The fake business endpoint: verifies like a careful business would, deduplicates, records, misbehaves on request.</summary>
public sealed class WebhookReceiverTests : IAsyncLifetime
{
    private readonly string _secret = WebhookSecret.Generate();
    private WebApplicationFactory<receiver::Program> _factory = null!;
    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        _factory = CreateFactory(new Dictionary<string, string> { ["Receiver:Secrets:demo"] = _secret });
        _client = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task A_correctly_signed_webhook_is_accepted_and_listed_with_its_headers_and_exact_body()
    {
        const string body = "{\"event_type\":\"call.completed\",\"call_sid\":\"CA1\"}";

        using var response = await PostAsync("demo", "msg_one", body, _secret);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var listed = Assert.Single(await ListAsync("demo"));
        Assert.Equal("msg_one", listed.GetProperty("id").GetString());
        Assert.Equal(body, listed.GetProperty("body").GetString());
        Assert.Equal(1, listed.GetProperty("attemptsSeen").GetInt32());
        Assert.True(listed.GetProperty("timestamp").GetInt64() > 0);
        Assert.StartsWith("v1,", listed.GetProperty("headers").GetProperty("webhook-signature").GetString());
    }

    [Fact]
    public async Task The_same_webhook_id_twice_is_stored_once_and_both_arrivals_are_counted()
    {
        using var first = await PostAsync("demo", "msg_dup", "{}", _secret);
        using var second = await PostAsync("demo", "msg_dup", "{}", _secret);

        Assert.Equal(HttpStatusCode.NoContent, second.StatusCode);
        var listed = Assert.Single(await ListAsync("demo"));
        Assert.Equal(2, listed.GetProperty("attemptsSeen").GetInt32());
    }

    [Fact]
    public async Task A_webhook_signed_with_another_secret_is_rejected_with_401_and_not_stored()
    {
        using var response = await PostAsync("demo", "msg_forged", "{}", WebhookSecret.Generate());

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("NoMatchingSignature", await response.Content.ReadAsStringAsync());
        Assert.Empty(await ListAsync("demo"));
    }

    [Fact]
    public async Task A_webhook_older_than_the_tolerance_is_rejected_with_401()
    {
        var tooOld = DateTimeOffset.UtcNow.AddMinutes(-6).ToUnixTimeSeconds();

        using var response = await PostAsync("demo", "msg_old", "{}", _secret, tooOld);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_webhook_without_signature_headers_is_rejected_with_401()
    {
        using var response = await _client.PostAsync("/hooks/demo", new StringContent("{}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_hook_without_a_configured_secret_rejects_everything_with_401()
    {
        using var response = await PostAsync("unknown", "msg_x", "{}", _secret);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Injected_failures_answer_the_configured_status_and_retry_after_then_stop_when_cleared()
    {
        await PutFaultsAsync(new { failFirstAttempts = 1, statusCode = 503, retryAfter = "7" });

        using var failed = await PostAsync("demo", "msg_fault", "{}", _secret);
        using var accepted = await PostAsync("demo", "msg_fault", "{}", _secret);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), failed.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.NoContent, accepted.StatusCode);
        var listed = Assert.Single(await ListAsync("demo"));
        Assert.Equal(2, listed.GetProperty("attemptsSeen").GetInt32());
    }

    [Fact]
    public async Task A_failure_rate_of_one_fails_every_attempt_until_faults_are_reset()
    {
        await PutFaultsAsync(new { failureRate = 1.0, statusCode = 500 });
        using var failed = await PostAsync("demo", "msg_rate", "{}", _secret);
        using var reset = await _client.DeleteAsync("/faults");
        using var accepted = await PostAsync("demo", "msg_rate", "{}", _secret);

        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, accepted.StatusCode);
    }

    [Fact]
    public async Task A_hanging_answer_is_stored_first_so_the_senders_retry_after_its_timeout_is_a_duplicate()
    {
        await PutFaultsAsync(new { hangRate = 1.0, hangFor = "00:00:30" });
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => PostAsync("demo", "msg_hang", "{}", _secret, cancellationToken: timeout.Token));
        using var reset = await _client.DeleteAsync("/faults");
        using var retry = await PostAsync("demo", "msg_hang", "{}", _secret);

        Assert.Equal(HttpStatusCode.NoContent, retry.StatusCode);
        var listed = Assert.Single(await ListAsync("demo"));
        Assert.Equal(2, listed.GetProperty("attemptsSeen").GetInt32());
        Assert.Equal(0, listed.GetProperty("otherBodiesSeen").GetInt32());
    }

    [Fact]
    public async Task A_webhook_id_reused_with_another_body_is_not_stored_again_and_is_counted()
    {
        using var first = await PostAsync("demo", "msg_reused", "{\"call_sid\":\"CA1\"}", _secret);
        using var reused = await PostAsync("demo", "msg_reused", "{\"call_sid\":\"CA2\"}", _secret);

        Assert.Equal(HttpStatusCode.NoContent, reused.StatusCode);
        var listed = Assert.Single(await ListAsync("demo"));
        Assert.Equal("{\"call_sid\":\"CA1\"}", listed.GetProperty("body").GetString());
        Assert.Equal(1, listed.GetProperty("otherBodiesSeen").GetInt32());
    }

    [Fact]
    public async Task Faults_can_be_set_by_configuration()
    {
        await using var factory = CreateFactory(new Dictionary<string, string>
        {
            ["Receiver:Secrets:demo"] = _secret,
            ["Receiver:Faults:FailFirstAttempts"] = "1",
            ["Receiver:Faults:StatusCode"] = "307",
            ["Receiver:Faults:Location"] = "/elsewhere",
        });
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var response = await PostAsync("demo", "msg_cfg", "{}", _secret, client: client);

        Assert.Equal(HttpStatusCode.TemporaryRedirect, response.StatusCode);
        Assert.Equal("/elsewhere", response.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("failureRate", 2.0)]
    [InlineData("hangRate", -0.5)]
    public async Task Invalid_fault_settings_are_refused_with_400(string setting, double value)
    {
        using var response = await _client.PutAsJsonAsync("/faults", new Dictionary<string, double> { [setting] = value });

        var problem = await ErrorResponses.AssertProblemAsync(response, StatusCodes.Status400BadRequest);
        Assert.True(problem.GetProperty("errors").EnumerateObject().Any(e => e.Name.Equals(setting, StringComparison.OrdinalIgnoreCase)), problem.ToString());
    }

    [Fact]
    public async Task Malformed_json_is_400_problem_details_without_a_stack_trace_in_development()
    {
        using var response = await _client.PutAsync("/faults", new StringContent("{\"failureRate\": ", Encoding.UTF8, "application/json"));

        await ErrorResponses.AssertProblemAsync(response, StatusCodes.Status400BadRequest);
    }

    [Fact]
    public async Task An_unhandled_error_is_500_problem_details_without_a_stack_trace_in_development()
    {
        await using var factory = CreateFactory(new Dictionary<string, string> { ["environment"] = "Development" }, ErrorResponses.ThrowFromHealthEndpoint);
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/health");

        await ErrorResponses.AssertProblemAsync(response, StatusCodes.Status500InternalServerError);
    }

    [Fact]
    public async Task The_developer_exception_page_shows_only_when_a_developer_opts_in_with_DetailedErrors()
    {
        await using var factory = CreateFactory(
            new Dictionary<string, string> { ["environment"] = "Production", ["DetailedErrors"] = "true" }, ErrorResponses.ThrowFromHealthEndpoint);
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains(ErrorResponses.UnhandledMessage, await response.Content.ReadAsStringAsync());
    }

    private static WebApplicationFactory<receiver::Program> CreateFactory(Dictionary<string, string> settings, Action<IServiceCollection>? services = null) =>
        new WebApplicationFactory<receiver::Program>().WithWebHostBuilder(web =>
        {
            foreach (var (key, value) in settings)
            {
                web.UseSetting(key, value);
            }
            if (services is not null)
            {
                web.ConfigureTestServices(services);
            }
        });

    private async Task<HttpResponseMessage> PostAsync(
        string hook, string id, string body, string secret, long? timestamp = null, HttpClient? client = null, CancellationToken cancellationToken = default)
    {
        var ts = timestamp ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var request = new HttpRequestMessage(HttpMethod.Post, $"/hooks/{hook}") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add(StandardWebhookHeaders.Id, id);
        request.Headers.Add(StandardWebhookHeaders.Timestamp, ts.ToString());
        request.Headers.Add(StandardWebhookHeaders.Signature, StandardWebhookSigner.Sign(id, ts, body, WebhookSecret.Parse(secret)));
        return await (client ?? _client).SendAsync(request, cancellationToken);
    }

    private async Task PutFaultsAsync(object faults)
    {
        using var response = await _client.PutAsJsonAsync("/faults", faults);
        response.EnsureSuccessStatusCode();
    }

    private async Task<JsonElement[]> ListAsync(string hook) =>
        await _client.GetFromJsonAsync<JsonElement[]>($"/hooks/{hook}") ?? [];
}
