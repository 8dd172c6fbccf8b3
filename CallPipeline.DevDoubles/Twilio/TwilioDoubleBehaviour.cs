namespace CallPipeline.DevDoubles.Twilio;

/// <summary>Section <c>Twilio:Double</c>: where the double deliberately behaves like Twilio on a bad day.</summary>
public sealed class TwilioDoubleBehaviour
{
    /// <summary>
    /// How long a completed recording's media answers 404 after its callback was sent, as Twilio's media propagation
    /// does (original-system.md: downloads 404ed while Twilio was still processing, and nothing retried). Zero turns it off.
    /// </summary>
    public TimeSpan RecordingNotFoundFor { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Send every callback twice, to prove the gateway's handlers are idempotent.</summary>
    public bool DuplicateCallbacks { get; set; }
}
