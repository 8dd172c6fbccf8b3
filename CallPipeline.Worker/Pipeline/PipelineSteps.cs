namespace CallPipeline.Worker.Pipeline;

/// <summary>The steps' names: their keys in step_timings, the step tag of the duration metric, and their span names.</summary>
public static class PipelineSteps
{
    public const string Load = "load";
    public const string Fetch = "fetch";
    public const string Convert = "convert";
    public const string Transcribe = "transcribe";
    public const string Summarise = "summarise";
    public const string Extract = "extract";
    /// <summary>Not timed (the timings are saved by it); a span only.</summary>
    public const string Save = "save";
}
