namespace CallPipeline.Voice.MediaStreams;

/// <summary>What <see cref="StreamAdmission"/> decided: the admitted stream, or the reason it was refused.</summary>
public sealed record StreamAdmissionResult(AdmittedStream? Stream, string? Refusal)
{
    public static StreamAdmissionResult Admitted(AdmittedStream stream) => new(stream, null);

    public static StreamAdmissionResult Refused(string reason) => new(null, reason);
}
