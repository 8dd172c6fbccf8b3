using System.Net;
using System.Text;
using CallPipeline.Tests.Infrastructure;
using CallPipeline.Tests.Support;
using CallPipeline.Tests.Voice.Support;
using CallPipeline.Twilio.Security;
using Microsoft.AspNetCore.Http;

namespace CallPipeline.Tests.Voice;

/// <summary>
/// Bad input gets a 4xx with a short reason, never a 500 or a stack trace, and does no work: oversized, over-long and
/// non-UTF-8 forms and fields that do not fit on Twilio's endpoints, operator bodies over the limit, paging past any sane
/// page, malformed JSON, and an unhandled error in Development.
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
    [InlineData("/twilio/voice/incoming", "From", 65)]
    [InlineData("/twilio/voice/incoming", "Direction", 33)]
    [InlineData("/twilio/voice/status", "CallStatus", 33)]
    [InlineData("/twilio/voice/status", "To", 65)]
    [InlineData("/twilio/recording/status", "RecordingStatus", 33)]
    [InlineData("/twilio/recording/status", "ErrorCode", 17)]
    [InlineData("/twilio/recording/status", "RecordingUrl", 1025)]
    public async Task A_signed_field_longer_than_its_column_is_400_naming_the_field_and_does_nothing(string path, string field, int length)
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure, Development);
        var form = SignedForm(path);
        form[field] = new string('7', length);

        using var response = await voice.PostSignedAsync(path, form);

        var problem = await ErrorResponses.AssertProblemAsync(response, StatusCodes.Status400BadRequest);
        Assert.StartsWith($"{field} is longer than {length - 1} characters", problem.GetProperty("detail").GetString());
        await AssertNothingDoneAsync(voice);
        Assert.Equal(1, voice.Logs.Count($"Refused Twilio request to {path} with 400: {field} is longer"));
    }

    [Theory]
    [InlineData("/twilio/voice/incoming", "CallSid", "../../etc/passwd")]
    [InlineData("/twilio/voice/status", "CallSid", "CA0123")]
    [InlineData("/twilio/voice/status", "ParentCallSid", "CAzz23456789abcdef0123456789abcdef")]
    [InlineData("/twilio/recording/status", "RecordingSid", "RE'; DROP TABLE call_logs;--")]
    public async Task A_signed_sid_not_in_Twilios_format_is_400_naming_the_field_and_does_nothing(string path, string field, string value)
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure, Development);
        var form = SignedForm(path);
        form[field] = value;

        using var response = await voice.PostSignedAsync(path, form);

        var problem = await ErrorResponses.AssertProblemAsync(response, StatusCodes.Status400BadRequest);
        Assert.StartsWith($"{field} is not a Twilio SID", problem.GetProperty("detail").GetString());
        Assert.DoesNotContain(value, problem.ToString(), StringComparison.Ordinal);
        await AssertNothingDoneAsync(voice);
    }

    [Theory]
    [MemberData(nameof(TwilioFormPaths))]
    public async Task A_form_whose_bytes_are_not_utf8_is_400_before_the_signature_check(string path)
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure, Development);
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new ByteArrayContent([.. "CallSid=CA"u8.ToArray(), 0xC3, 0x28, 0xFF, 0xFE]),
        };
        request.Content.Headers.ContentType = new("application/x-www-form-urlencoded");
        request.Headers.Add(TwilioSignature.HeaderName, "bm90LWEtcmVhbC1zaWduYXR1cmU=");

        using var response = await voice.Client.SendAsync(request);

        var problem = await ErrorResponses.AssertProblemAsync(response, StatusCodes.Status400BadRequest);
        Assert.Equal("The form is not valid UTF-8.", problem.GetProperty("detail").GetString());
        await AssertNothingDoneAsync(voice);
    }

    [Fact]
    public async Task An_operator_request_body_over_the_request_limit_is_413_before_it_is_read()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure, Development);
        var body = new StringContent("{\"from\":\"" + new string('x', 5 * 1024 * 1024) + "\"}", Encoding.UTF8, "application/json");

        using var response = await SendOperatorAsync(voice, HttpMethod.Post, "/api/calls", body, expectContinue: true);

        await ErrorResponses.AssertProblemAsync(response, StatusCodes.Status413PayloadTooLarge);
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
        // The client's mistake is one information line, never the error line and stack trace of an unhandled exception.
        Assert.Equal(1, voice.Logs.Count("Refused POST /api/calls with 400"));
        Assert.Empty(voice.Logs.Errors);
    }

    [Fact]
    public async Task An_unhandled_error_is_500_problem_details_without_a_stack_trace_in_development()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure, Development, services: ErrorResponses.ThrowFromHealthEndpoint);

        using var response = await voice.Client.GetAsync("/health");

        await ErrorResponses.AssertProblemAsync(response, StatusCodes.Status500InternalServerError);
    }

    /// <summary>
    /// Signed or not does not matter: the form must be refused before the signature is looked at. The client waits for
    /// 100-continue, as it should with a large body: a server refuses a body over its limit from the headers and closes,
    /// and a client still sending would see a reset instead of the 413.
    /// </summary>
    private static async Task<HttpResponseMessage> PostFormAsync(VoiceHost voice, string path, Dictionary<string, string> form)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        request.Headers.ExpectContinue = true;
        request.Headers.Add(TwilioSignature.HeaderName, "bm90LWEtcmVhbC1zaWduYXR1cmU=");
        return await voice.Client.SendAsync(request);
    }

    /// <summary>What Twilio posts to <paramref name="path"/>, valid in every field, for a new call.</summary>
    private static Dictionary<string, string> SignedForm(string path) => path == "/twilio/recording/status"
        ? new()
        {
            ["AccountSid"] = VoiceTestData.AccountSid, ["CallSid"] = VoiceTestData.NewCallSid(), ["RecordingSid"] = VoiceTestData.NewRecordingSid(),
            ["RecordingStatus"] = "in-progress", ["RecordingChannels"] = "2", ["ErrorCode"] = "0",
        }
        : new()
        {
            ["AccountSid"] = VoiceTestData.AccountSid, ["CallSid"] = VoiceTestData.NewCallSid(), ["From"] = "+972541234567",
            ["To"] = "+97235550100", ["Direction"] = "inbound", ["CallStatus"] = "ringing",
        };

    private static async Task<HttpResponseMessage> SendOperatorAsync(VoiceHost voice, HttpMethod method, string path, HttpContent? content = null, bool expectContinue = false)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.ExpectContinue = expectContinue;
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
