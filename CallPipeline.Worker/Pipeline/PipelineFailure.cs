namespace CallPipeline.Worker.Pipeline;

/// <summary>A failure retrying cannot fix (no business, corrupt audio, a 4xx from the AI endpoint): the job fails at once with this reason.</summary>
public sealed class PermanentPipelineException(string reason, Exception? inner = null) : Exception(reason, inner);

/// <summary>A failure worth another delivery later (the recording is not there yet, the AI endpoint is down).</summary>
public sealed class TransientPipelineException(string reason, Exception? inner = null) : Exception(reason, inner);
