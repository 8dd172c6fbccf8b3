namespace CallPipeline.Voice.Operator;

/// <summary>Configuration section <c>OperatorApi</c>. Without an API key every operator request is refused.</summary>
public sealed class OperatorApiOptions
{
    public const string SectionName = "OperatorApi";

    public string ApiKey { get; set; } = "";
}
