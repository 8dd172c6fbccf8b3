using System.Text;
using System.Text.Json;
using CallPipeline.Twilio.Security;

namespace CallPipeline.Tests.Twilio;

/// <summary>Twilio's official X-Twilio-Signature vectors (see SOURCES.md), read from the copy beside the tests.</summary>
public sealed class TwilioSignatureVectorTests
{
    private static readonly JsonElement Vectors = JsonDocument.Parse(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Twilio", "twilio-signature-vectors.json"))).RootElement;

    private static readonly string AuthToken = Vectors.GetProperty("authToken").GetString()!;

    public static TheoryData<int> ComputeCases() => Indexes("compute");

    public static TheoryData<int> FormCases() => Indexes("validateForm");

    public static TheoryData<int> JsonBodyCases() => Indexes("validateJsonBody");

    [Theory]
    [MemberData(nameof(ComputeCases))]
    public void Computing_a_vector_gives_its_signature(int index)
    {
        var vector = Vectors.GetProperty("compute")[index];

        var signature = TwilioSignature.Compute(AuthToken, vector.GetProperty("url").GetString()!, Parameters(vector));

        Assert.Equal(vector.GetProperty("signature").GetString(), signature);
    }

    [Theory]
    [MemberData(nameof(FormCases))]
    public void Validating_a_form_vector_gives_its_verdict(int index)
    {
        var vector = Vectors.GetProperty("validateForm")[index];

        var valid = TwilioSignature.IsValid(AuthToken, vector.GetProperty("url").GetString()!, Parameters(vector), vector.GetProperty("header").GetString());

        Assert.Equal(vector.GetProperty("valid").GetBoolean(), valid);
    }

    [Theory]
    [MemberData(nameof(JsonBodyCases))]
    public void Validating_a_json_body_vector_gives_its_verdict(int index)
    {
        var vector = Vectors.GetProperty("validateJsonBody")[index];
        var body = Encoding.UTF8.GetBytes(vector.GetProperty("body").GetString()!);

        var valid = TwilioSignature.IsValidJsonBody(AuthToken, vector.GetProperty("url").GetString()!, body, vector.GetProperty("header").GetString());

        Assert.Equal(vector.GetProperty("valid").GetBoolean(), valid);
    }

    [Fact]
    public void The_body_hash_is_the_lowercase_hex_sha256_of_the_raw_body()
    {
        var example = Vectors.GetProperty("bodyHashExample");

        Assert.Equal(example.GetProperty("sha256Hex").GetString(), TwilioSignature.BodySha256(Encoding.UTF8.GetBytes(example.GetProperty("body").GetString()!)));
    }

    [Fact]
    public void A_json_body_that_differs_from_its_signed_hash_is_refused()
    {
        var vector = Vectors.GetProperty("validateJsonBody")[0];
        var tampered = Encoding.UTF8.GetBytes("{\"property\": \"other\", \"boolean\": true}");

        Assert.False(TwilioSignature.IsValidJsonBody(AuthToken, vector.GetProperty("url").GetString()!, tampered, vector.GetProperty("header").GetString()));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void A_missing_signature_is_invalid(string? signature)
    {
        Assert.False(TwilioSignature.IsValid(AuthToken, "https://example.com/twilio/voice/incoming", [], signature));
    }

    // Derived vectors from the project's research notes (reference/twilio.md §1.5), computed with the verified algorithm.
    [Theory]
    [InlineData("wss://example.com/media-stream", "XFfwGS2Ev7f9qAP9MmRoMS7C724=")]
    [InlineData("wss://example.com/media-stream/", "7J0iz81itFhCXVuZK8EmM4YZwLA=")]
    public void A_media_stream_upgrade_is_signed_over_the_wss_url_alone(string url, string expected)
    {
        Assert.Equal(expected, TwilioSignature.Compute("12345", url, []));
    }

    [Fact]
    public void A_recording_status_callback_is_signed_over_its_parameters()
    {
        KeyValuePair<string, string>[] form =
        [
            new("AccountSid", "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
            new("CallSid", "CAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
            new("RecordingSid", "REaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
            new("RecordingUrl", "https://api.twilio.com/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Recordings/REaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
            new("RecordingStatus", "completed"),
            new("RecordingDuration", "42"),
            new("RecordingChannels", "2"),
            new("RecordingStartTime", "Fri, 14 Oct 2016 21:56:34 +0000"),
            new("RecordingSource", "StartCallRecordingAPI"),
            new("RecordingTrack", "both"),
            new("ErrorCode", "0"),
        ];

        Assert.Equal("ncSyYNwwixexAEst/VOHdj3siRg=", TwilioSignature.Compute("12345", "https://example.com/twilio/recording-status", form));
    }

    [Theory]
    [InlineData("https://example.com/a?b=1", "https://example.com:443/a?b=1")]
    [InlineData("http://Example.com:8080/a", "http://Example.com/a")]
    [InlineData("ws://127.0.0.1:5000/twilio/media/x", "ws://127.0.0.1/twilio/media/x")]
    public void The_url_variants_add_or_remove_the_port_without_touching_case(string url, string expectedVariant)
    {
        Assert.Equal([url, expectedVariant], TwilioSignature.UrlVariants(url));
    }

    private static TheoryData<int> Indexes(string set)
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < Vectors.GetProperty(set).GetArrayLength(); i++)
        {
            data.Add(i);
        }
        return data;
    }

    private static IEnumerable<KeyValuePair<string, string>> Parameters(JsonElement vector)
    {
        if (!vector.TryGetProperty("params", out var parameters))
        {
            yield break;
        }
        foreach (var parameter in parameters.EnumerateObject())
        {
            if (parameter.Value.ValueKind == JsonValueKind.Array)
            {
                foreach (var value in parameter.Value.EnumerateArray())
                {
                    yield return new(parameter.Name, value.GetString()!);
                }
            }
            else
            {
                yield return new(parameter.Name, parameter.Value.GetString()!);
            }
        }
    }
}
