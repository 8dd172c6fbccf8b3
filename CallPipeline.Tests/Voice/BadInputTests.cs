using System.Net;
using System.Text;
using CallPipeline.Tests.Infrastructure;
using CallPipeline.Tests.Support;
using CallPipeline.Tests.Voice.Support;
using Microsoft.AspNetCore.Http;
using CallPipeline.Twilio.Security;

namespace CallPipeline.Tests.Voice;

/// <summary>
/// Bad input gets a 4xx with a short reason, never a 500 or a stack trace, and does no work: oversized and over-long
/// forms on Twilio's endpoints, paging past any sane page, malformed JSON, and an unhandled error in Development.
/// </summary>
[Trait("Category", "Infrastructure")]
public sealed class BadInputTests(InfrastructureFixture infrastructure) : IClassFixture<InfrastructureFixture>
{
    private static readonly Dictionary<string, string> Development = new() { ["environment"] = "Development" };

    public static TheoryData<string> TwilioFormPaths => ["/twilio/voice/incoming", "/twilio/voice/status", "/twilio/recording/status"];

    [Theory]
    [MemberData(nameof(TwilioFormPaths))]
    public async Task A_form_over_the_size_limit_is_413_before_the_signature_check_and_does_nothing(string path)
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure, Development);
        var form = new Dictionary<string, string> { ["CallSid"] = VoiceTestData.NewCallSid(), ["Padding"] = new string('x', 5 * 1024 * 1024) };

        using var response = await PostFormAsync(voice, path, form);

        var problem = await ErrorResponses.AssertProblemAsync(response, StatusCodes.Status413PayloadTooLarge);
        Assert.InRange(problem.GetProperty("detail").GetString()!.Length, 1, 200);
        await AssertNothingDoneAsync(voice);
    }

    [Theory]
    [MemberData(nameof(TwilioFormPaths))]
    public async Task A_form_with_more_fields_than_the_limit_is_400_before_the_signature_check_and_does_nothing(string path)
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure, Development);
        var form = Enumerable.Range(0, 1100).ToDictionary(i => $"Field{i}", i => "v");
        form["CallSid"] = VoiceTestData.NewCallSid();

        using var response = await PostFormAsync(voice, path, form);

        var problem = await ErrorResponses.AssertProblemAsync(response, StatusCodes.Status400BadRequest);
        Assert.InRange(problem.GetProperty("detail").GetString()!.Length, 1, 200);
        await AssertNothingDoneAsync(voice);
    }

    [Theory]
    [InlineData("page=2147483647&pageSize=200", "page")]
    [InlineData("page=10001&pageSize=1", "page")]
    [InlineData("page=0", "page")]
    [InlineData("pageSize=201", "pageSize")]
    [InlineData("pageSize=0", "pageSize")]
    public async Task Paging_outside_its_bounds_is_400_naming_the_parameter(string query, string parameter)
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure, Development);

        using var response = await SendOperatorAsync(voice, HttpMethod.Get, "/api/calls?" + query);

        var problem = await ErrorResponses.AssertProblemAsync(response, StatusCodes.Status400BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), problem.ToString());
    }

    [Fact]
    public async Task The_last_allowed_page_is_answered()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure, Development);

        using var response = await SendOperatorAsync(voice, HttpMethod.Get, "/api/calls?page=10000&pageSize=200");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Malformed_json_is_400_problem_details_without_a_stack_trace_in_development()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure, Development);

        using var response = await SendOperatorAsync(voice, HttpMethod.Post, "/api/calls", new StringContent("{\"from\": ", Encoding.UTF8, "application/json"));

        await ErrorResponses.AssertProblemAsync(response, StatusCodes.Status400BadRequest);
    }

    [Fact]
    public async Task An_unhandled_error_is_500_problem_details_without_a_stack_trace_in_development()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure, Development, services: ErrorResponses.ThrowFromHealthEndpoint);

        using var response = await voice.Client.GetAsync("/health");

        await ErrorResponses.AssertProblemAsync(response, StatusCodes.Status500InternalServerError);
    }

    /// <summary>Signed or not does not matter: the form must be refused before the signature is looked at.</summary>
    private static async Task<HttpResponseMessage> PostFormAsync(VoiceHost voice, string path, Dictionary<string, string> form)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add(TwilioSignature.HeaderName, "bm90LWEtcmVhbC1zaWduYXR1cmU=");
        return await voice.Client.SendAsync(request);
    }

    private static async Task<HttpResponseMessage> SendOperatorAsync(VoiceHost voice, HttpMethod method, string path, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Add("X-Api-Key", VoiceTestData.OperatorApiKey);
        return await voice.Client.SendAsync(request);
    }

    private static async Task AssertNothingDoneAsync(VoiceHost voice)
    {
        await using var db = VoiceTestData.OpenDb(voice.Database);
        Assert.Empty(db.CallLogs);
        Assert.DoesNotContain(voice.Logs.Lines, l => l.Contains("Rejected Twilio request", StringComparison.Ordinal));
    }
}
