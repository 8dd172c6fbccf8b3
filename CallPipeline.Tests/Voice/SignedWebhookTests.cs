using System.Net;
using CallPipeline.Tests.Infrastructure;
using CallPipeline.Tests.Voice.Support;
using CallPipeline.Twilio.Security;

namespace CallPipeline.Tests.Voice;

/// <summary>Every Twilio-facing form endpoint answers 403 unless X-Twilio-Signature matches the public URL and the form.</summary>
[Trait("Category", "Infrastructure")]
public sealed class SignedWebhookTests(InfrastructureFixture infrastructure) : IClassFixture<InfrastructureFixture>
{
    public static TheoryData<string> Endpoints => ["/twilio/voice/incoming", "/twilio/voice/status", "/twilio/recording/status"];

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task A_request_without_a_signature_is_403_with_one_log_line_and_no_secret(string path)
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);

        using var response = await voice.Client.PostAsync(path, new FormUrlEncodedContent(Form()));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var line = Assert.Single(voice.Logs.Lines, l => l.StartsWith("Rejected Twilio request", StringComparison.Ordinal));
        Assert.Contains(path, line, StringComparison.Ordinal);
        Assert.DoesNotContain(voice.Logs.Lines, l => l.Contains(VoiceTestData.AuthToken, StringComparison.Ordinal));
        Assert.Null(await VoiceTestData.FindCallAsync(voice.Database, Form()["CallSid"]));
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task A_forged_signature_is_403(string path)
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);
        var form = Form();
        var forged = TwilioSignature.Compute("not-the-auth-token", voice.BaseUrl + path, form);

        using var response = await voice.PostSignedAsync(path, form, forged);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Null(await VoiceTestData.FindCallAsync(voice.Database, form["CallSid"]));
    }

    [Fact]
    public async Task A_signature_over_other_form_values_or_another_url_is_403()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);
        var form = Form();
        var signedForOtherValues = TwilioSignature.Compute(VoiceTestData.AuthToken, voice.BaseUrl + "/twilio/voice/status", Form(status: "in-progress"));
        var signedForInternalHost = TwilioSignature.Compute(VoiceTestData.AuthToken, "http://voice-internal:8080/twilio/voice/status", form);

        using var tampered = await voice.PostSignedAsync("/twilio/voice/status", form, signedForOtherValues);
        using var wrongHost = await voice.PostSignedAsync("/twilio/voice/status", form, signedForInternalHost);

        Assert.Equal(HttpStatusCode.Forbidden, tampered.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, wrongHost.StatusCode);
    }

    [Fact]
    public async Task A_signed_request_is_validated_against_the_public_base_url_not_the_address_it_arrived_on()
    {
        const string publicBase = "https://voice.example.com";
        await using var voice = await VoiceHost.StartAsync(infrastructure, new Dictionary<string, string> { ["Voice:PublicBaseUrl"] = publicBase });
        var form = Form();

        using var response = await voice.PostSignedAsync("/twilio/voice/status", form, TwilioSignature.Compute(VoiceTestData.AuthToken, publicBase + "/twilio/voice/status", form));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task Repeated_form_names_are_signed_per_distinct_value()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);
        var pairs = Form().Select(p => p).Append(new KeyValuePair<string, string>("StatusCallbackEvent", "ringing")).Append(new("StatusCallbackEvent", "answered")).ToList();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/twilio/voice/status") { Content = new FormUrlEncodedContent(pairs) };
        request.Headers.Add(TwilioSignature.HeaderName, TwilioSignature.Compute(VoiceTestData.AuthToken, voice.BaseUrl + "/twilio/voice/status", pairs));

        using var response = await voice.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task A_json_body_is_validated_with_its_body_hash_and_then_refused_as_not_a_form(string path)
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);
        var body = "{\"CallSid\":\"CA00000000000000000000000000000001\"}"u8.ToArray();
        var signedPath = $"{path}?bodySHA256={TwilioSignature.BodySha256(body)}";
        var signature = TwilioSignature.Compute(VoiceTestData.AuthToken, voice.BaseUrl + signedPath, []);

        using var unsigned = await voice.Client.PostAsync(signedPath, Json(body));
        using var wrongHash = await SendJsonAsync(voice, $"{path}?bodySHA256={new string('0', 64)}", body,
            TwilioSignature.Compute(VoiceTestData.AuthToken, voice.BaseUrl + $"{path}?bodySHA256={new string('0', 64)}", []));
        using var signed = await SendJsonAsync(voice, signedPath, body, signature);

        Assert.Equal(HttpStatusCode.Forbidden, unsigned.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, wrongHash.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, signed.StatusCode);
        Assert.Empty(voice.Logs.Errors);
    }

    private static ByteArrayContent Json(byte[] body) =>
        new(body) { Headers = { ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") } };

    private static async Task<HttpResponseMessage> SendJsonAsync(VoiceHost voice, string path, byte[] body, string signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Json(body) };
        request.Headers.Add(TwilioSignature.HeaderName, signature);
        return await voice.Client.SendAsync(request);
    }

    private static Dictionary<string, string> Form(string status = "completed") => new()
    {
        ["AccountSid"] = VoiceTestData.AccountSid,
        ["CallSid"] = "CA00000000000000000000000000000001",
        ["CallStatus"] = status,
        ["RecordingSid"] = "RE00000000000000000000000000000001",
        ["RecordingStatus"] = "completed",
        ["From"] = "+972501234567",
        ["To"] = "+97235550100",
        ["Direction"] = "inbound",
    };
}
