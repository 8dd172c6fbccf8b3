using CallPipeline.Twilio.Validation;
using Microsoft.AspNetCore.Http;

namespace Microsoft.AspNetCore.Builder;

public static class TwilioValidationExtensions
{
    /// <summary>
    /// Only requests signed by Twilio reach these endpoints (see <see cref="TwilioSignatureFilter"/>), and the form is read
    /// within <see cref="TwilioFormLimits"/> before the signature is looked at (see <see cref="TwilioFormLimitFilter"/>).
    /// </summary>
    public static TBuilder RequireTwilioSignature<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter<TBuilder, TwilioFormLimitFilter>().AddEndpointFilter<TBuilder, TwilioSignatureFilter>();
}
