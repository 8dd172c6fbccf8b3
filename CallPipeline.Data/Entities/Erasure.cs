namespace CallPipeline.Data.Entities;

/// <summary>Why a call's data was erased, as written in <c>recording_erased_by</c> and <c>text_erased_by</c>.</summary>
public static class Erasure
{
    /// <summary>The business's retention period ran out.</summary>
    public const string Retention = "retention";

    /// <summary>The operator erased the call (a caller's erasure request).</summary>
    public const string Request = "request";

    /// <summary>What an erased call's webhook payloads are replaced with: they carried the transcript and the caller's details.</summary>
    public const string ErasedPayload = """{"erased":true}""";
}
