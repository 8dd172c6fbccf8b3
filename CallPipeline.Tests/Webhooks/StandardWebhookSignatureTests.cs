using CallPipeline.Webhooks.Signing;

namespace CallPipeline.Tests.Webhooks;

public sealed class StandardWebhookSignatureTests
{
    // The official Standard Webhooks vector: standard-webhooks/standard-webhooks,
    // libraries/csharp/StandardWebhooks.Tests/WebhookTest.cs (verifyWebhookSignWorks), spec version 1.0.0.
    // Copied from the project's research notes (reference/standard-webhooks-vector.json).
    private const string VectorSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string VectorWebhookId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long VectorTimestamp = 1614265330;
    private const string VectorPayload = "{\"test\": 2432232314}";
    private const string VectorSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    private const string VectorMustFail = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLawdd";

    private static readonly DateTimeOffset VectorTime = DateTimeOffset.FromUnixTimeSeconds(VectorTimestamp);

    [Fact]
    public void Signing_the_official_vector_gives_its_expected_signature()
    {
        var signature = StandardWebhookSigner.Sign(VectorWebhookId, VectorTimestamp, VectorPayload, WebhookSecret.Parse(VectorSecret));

        Assert.Equal(VectorSignature, signature);
    }

    [Fact]
    public void The_official_vector_verifies()
    {
        var result = Verify(VectorSignature, VectorTime);

        Assert.Equal(WebhookVerificationResult.Valid, result);
    }

    [Fact]
    public void The_official_negative_signature_is_rejected()
    {
        Assert.Equal(WebhookVerificationResult.NoMatchingSignature, Verify(VectorMustFail, VectorTime));
    }

    [Fact]
    public void A_changed_body_is_rejected()
    {
        var result = StandardWebhookVerifier.Verify(
            VectorWebhookId, VectorTimestamp.ToString(), VectorSignature, "{\"test\": 2432232315}",
            [WebhookSecret.Parse(VectorSecret)], VectorTime, StandardWebhookVerifier.DefaultTolerance);

        Assert.Equal(WebhookVerificationResult.NoMatchingSignature, result);
    }

    [Theory]
    [InlineData(-301)]
    [InlineData(301)]
    public void A_timestamp_more_than_five_minutes_away_is_rejected(int offsetSeconds)
    {
        Assert.Equal(WebhookVerificationResult.TimestampOutOfTolerance, Verify(VectorSignature, VectorTime.AddSeconds(offsetSeconds)));
    }

    [Theory]
    [InlineData(-299)]
    [InlineData(299)]
    public void A_timestamp_within_five_minutes_is_accepted(int offsetSeconds)
    {
        Assert.Equal(WebhookVerificationResult.Valid, Verify(VectorSignature, VectorTime.AddSeconds(offsetSeconds)));
    }

    [Fact]
    public void One_matching_signature_among_several_is_enough()
    {
        var other = StandardWebhookSigner.Sign(VectorWebhookId, VectorTimestamp, VectorPayload, WebhookSecret.Parse(WebhookSecret.Generate()));

        Assert.Equal(WebhookVerificationResult.Valid, Verify($"v1a,bm90IG91cnM= {other} {VectorSignature}", VectorTime));
    }

    [Fact]
    public void Signing_with_two_secrets_during_rotation_gives_two_space_separated_signatures_each_verifiable_alone()
    {
        var newSecret = WebhookSecret.Parse(WebhookSecret.Generate());

        var header = StandardWebhookSigner.Sign(VectorWebhookId, VectorTimestamp, VectorPayload, [WebhookSecret.Parse(VectorSecret), newSecret]);

        var parts = header.Split(' ');
        Assert.Equal(2, parts.Length);
        Assert.Equal(VectorSignature, parts[0]);
        Assert.Equal(WebhookVerificationResult.Valid, StandardWebhookVerifier.Verify(
            VectorWebhookId, VectorTimestamp.ToString(), header, VectorPayload, [newSecret], VectorTime, StandardWebhookVerifier.DefaultTolerance));
    }

    [Theory]
    [InlineData(null, "1614265330", VectorSignature)]
    [InlineData(VectorWebhookId, null, VectorSignature)]
    [InlineData(VectorWebhookId, "1614265330", null)]
    public void Missing_headers_are_rejected(string? id, string? timestamp, string? signature)
    {
        var result = StandardWebhookVerifier.Verify(id, timestamp, signature, VectorPayload, [WebhookSecret.Parse(VectorSecret)], VectorTime, StandardWebhookVerifier.DefaultTolerance);

        Assert.Equal(WebhookVerificationResult.MissingHeaders, result);
    }

    [Fact]
    public void A_non_numeric_timestamp_is_rejected()
    {
        var result = StandardWebhookVerifier.Verify(VectorWebhookId, "1614265330.5", VectorSignature, VectorPayload, [WebhookSecret.Parse(VectorSecret)], VectorTime, StandardWebhookVerifier.DefaultTolerance);

        Assert.Equal(WebhookVerificationResult.InvalidTimestamp, result);
    }

    [Theory]
    [InlineData("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")]          // no prefix
    [InlineData("whsec_not base64!")]
    [InlineData("whsec_c2hvcnQ=")]                           // 5 bytes, under the spec's 24
    [InlineData("")]
    public void Malformed_secrets_are_refused(string text)
    {
        Assert.False(WebhookSecret.TryParse(text, out _));
    }

    [Fact]
    public void Generated_secrets_have_the_whsec_format_and_are_distinct()
    {
        var first = WebhookSecret.Generate();

        Assert.StartsWith("whsec_", first);
        Assert.True(WebhookSecret.TryParse(first, out _));
        Assert.NotEqual(first, WebhookSecret.Generate());
    }

    private static WebhookVerificationResult Verify(string signatureHeader, DateTimeOffset now) =>
        StandardWebhookVerifier.Verify(
            VectorWebhookId, VectorTimestamp.ToString(), signatureHeader, VectorPayload,
            [WebhookSecret.Parse(VectorSecret)], now, StandardWebhookVerifier.DefaultTolerance);
}
