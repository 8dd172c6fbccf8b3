using System.Collections.Specialized;
using System.Text;
using System.Text.Json;
using CallPipeline.Twilio.Security;
using Twilio.Security;

namespace CallPipeline.Tests.Twilio;

/// <summary>
/// Twilio's official X-Twilio-Signature vectors (see SOURCES.md), read from the copy beside the tests. The project's own
/// <see cref="TwilioSignature"/> must give every vector's answer; Twilio's .NET SDK (<see cref="RequestValidator"/>) is a
/// second oracle that must agree, except where it is known to differ.
/// </summary>
public sealed class TwilioSignatureVectorTests
{
    /// <summary>
    /// The vectors whose form repeats a key (Digits, MessagingBinding.Address), where the SDK disagrees with Twilio. The
    /// SDK takes a NameValueCollection, which joins repeated values with a comma ("Digits" + "1234,5678"), while Twilio
    /// signs each value after the key in turn ("Digits1234Digits5678"), as Twilio's Node library and
    /// <see cref="TwilioSignature"/> do. The test fails when the SDK starts to agree, so this list is kept true.
    /// </summary>
    private static readonly HashSet<(string Set, int Index)> SdkKnownDisagreements =
    [
        ("compute", 8),
        ("compute", 9),
        ("validateForm", 10),
        ("validateForm", 11),
    ];

    private static readonly JsonElement Vectors = JsonDocument.Parse(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Twilio", "twilio-signature-vectors.json"))).RootElement;

    private static readonly string AuthToken = Vectors.GetProperty("authToken").GetString()!;

    public static TheoryData<int> ComputeCases() => Indexes("compute");

    public static TheoryData<int> FormCases() => Indexes("validateForm");

    public static TheoryData<int> JsonBodyCases() => Indexes("validateJsonBody");

    public static TheoryData<string, int> FormAndComputeCases()
    {
        var data = new TheoryData<string, int>();
        foreach (var set in new[] { "compute", "validateForm" })
        {
            for (var index = 0; index < Vectors.GetProperty(set).GetArrayLength(); index++)
            {
                data.Add(set, index);
            }
        }
        return data;
    }

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

    [Theory]
    [MemberData(nameof(FormAndComputeCases))]
    public void The_sdks_request_validator_agrees_with_each_form_vector_except_the_known_repeated_key_cases(string set, int index)
    {
        var vector = Vectors.GetProperty(set)[index];
        // A compute vector's signature is valid by definition; a form vector carries its header and verdict.
        var (signature, expected) = set == "compute"
            ? (vector.GetProperty("signature").GetString()!, true)
            : (vector.GetProperty("header").GetString()!, vector.GetProperty("valid").GetBoolean());
        var form = new NameValueCollection();
        foreach (var (name, value) in Parameters(vector))
        {
            form.Add(name, value);
        }

        var sdkVerdict = new RequestValidator(AuthToken).Validate(vector.GetProperty("url").GetString()!, form, signature);

        if (SdkKnownDisagreements.Contains((set, index)))
        {
            Assert.NotEqual(expected, sdkVerdict);
        }
        else
        {
            Assert.Equal(expected, sdkVerdict);
        }
    }

    [Theory]
    [MemberData(nameof(JsonBodyCases))]
    public void The_sdks_request_validator_agrees_with_each_json_body_vector(int index)
    {
        var vector = Vectors.GetProperty("validateJsonBody")[index];

        var sdkVerdict = new RequestValidator(AuthToken).Validate(
            vector.GetProperty("url").GetString()!, vector.GetProperty("body").GetString()!, vector.GetProperty("header").GetString()!);

        Assert.Equal(vector.GetProperty("valid").GetBoolean(), sdkVerdict);
    }

    [Fact]
    public void The_known_sdk_disagreements_are_exactly_the_vectors_with_a_repeated_form_key()
    {
        var repeatedKey = new[] { "compute", "validateForm" }
            .SelectMany(set => Enumerable.Range(0, Vectors.GetProperty(set).GetArrayLength()).Select(index => (Set: set, Index: index)))
            .Where(v => Parameters(Vectors.GetProperty(v.Set)[v.Index]).GroupBy(p => p.Key).Any(g => g.Count() > 1));

        Assert.Equal(SdkKnownDisagreements.Order(), repeatedKey.Order());
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
