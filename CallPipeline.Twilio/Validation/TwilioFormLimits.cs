using System.ComponentModel.DataAnnotations;

namespace CallPipeline.Twilio.Validation;

/// <summary>
/// Limits on the forms Twilio posts, checked before the signature (which reads the whole form). Twilio's webhooks carry a
/// few dozen short fields, a few KB in all; anything far larger is not Twilio and gets no work done.
/// </summary>
public sealed class TwilioFormLimits
{
    /// <summary>Largest request body; larger is 413.</summary>
    [Range(1024, 4 * 1024 * 1024)]
    public int MaxFormBytes { get; set; } = 64 * 1024;

    /// <summary>Most fields (repeated names count each time); more is 400.</summary>
    [Range(16, 1024)]
    public int MaxFormFields { get; set; } = 256;
}
