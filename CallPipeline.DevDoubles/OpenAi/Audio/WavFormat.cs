namespace CallPipeline.DevDoubles.OpenAi.Audio;

/// <summary>The facts a WAV header gives: how the samples are laid out and how long the audio lasts.</summary>
public sealed record WavFormat(int AudioFormat, int Channels, int SampleRate, int BitsPerSample, long DataBytes, double DurationSeconds);
