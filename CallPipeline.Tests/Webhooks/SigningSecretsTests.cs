using CallPipeline.Data.Entities;
using CallPipeline.Webhooks.Secrets;
using CallPipeline.Webhooks.Signing;

namespace CallPipeline.Tests.Webhooks;

/// <summary>Which secrets sign a business's deliveries around a rotation.</summary>
public sealed class SigningSecretsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Within_the_grace_period_the_new_secret_signs_first_and_the_old_one_too()
    {
        var business = Rotated(expiresAt: Now.AddHours(1));

        Assert.Equal($"{business.WebhookSecret} {business.PreviousWebhookSecret}", SigningSecrets.Of(business, Now));
        Assert.Equal(2, WebhookSecret.ParseList(SigningSecrets.Of(business, Now)!).Count);
    }

    [Fact]
    public void Once_the_grace_period_is_over_only_the_new_secret_signs()
    {
        var business = Rotated(expiresAt: Now);

        Assert.Equal(business.WebhookSecret, SigningSecrets.Of(business, Now));
    }

    [Fact]
    public void A_business_never_rotated_signs_with_its_secret()
    {
        var business = new Business { Name = "Plain", PhoneE164 = "+97235550100", WebhookSecret = WebhookSecret.Generate() };

        Assert.Equal(business.WebhookSecret, SigningSecrets.Of(business, Now));
    }

    private static Business Rotated(DateTimeOffset expiresAt) => new()
    {
        Name = "Rotating",
        PhoneE164 = "+97235550100",
        WebhookSecret = WebhookSecret.Generate(),
        PreviousWebhookSecret = WebhookSecret.Generate(),
        PreviousWebhookSecretExpiresAt = expiresAt,
    };
}
