using CallPipeline.DevDoubles.OpenAi.Faults;

namespace CallPipeline.DevDoubles.OpenAi;

/// <summary>How the double behaves (configuration <c>OpenAI:Double:*</c>).</summary>
public sealed class OpenAiDoubleSettings
{
    /// <summary>OpenAI's cap on a request's content: 25 MiB, the number its 413 message names.</summary>
    public long MaxRequestBytes { get; set; } = 26_214_400;

    /// <summary>Chat models the double answers for; any other model gets OpenAI's 404 model_not_found.</summary>
    public List<string> ChatModels { get; set; } =
        ["gpt-4o-mini", "gpt-4o", "gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano", "gpt-5", "gpt-5-mini", "gpt-5-nano", "o4-mini"];

    /// <summary>Faults in force from start, consumed like faults posted to <c>/v1/_double/faults</c>.</summary>
    public List<OpenAiFault> Faults { get; set; } = [];

    /// <summary>How many requests the request log keeps; the oldest are dropped first.</summary>
    public int RequestLogCapacity { get; set; } = 1000;
}
