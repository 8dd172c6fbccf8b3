namespace CallPipeline.DevDoubles.Simulator.CallerSpeech;

/// <summary>The caller's speech cannot be made: espeak-ng or ffmpeg is missing or failed.</summary>
public sealed class SpeechUnavailableException(string message) : Exception(message);
