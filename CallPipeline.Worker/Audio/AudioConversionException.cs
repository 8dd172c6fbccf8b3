namespace CallPipeline.Worker.Audio;

/// <summary>ffmpeg is missing, failed, or ran out of time; the message says which, without file contents.</summary>
public sealed class AudioConversionException(string reason, Exception? inner = null) : Exception(reason, inner);
