using CallPipeline.Twilio.Audio;

namespace CallPipeline.Voice.Conversation;

/// <summary>A soft two-note chime (E5 then A5, 240 ms each, faded in and out), generated once as 8 kHz mu-law.</summary>
public static class GreetingTone
{
    public const int SampleRate = 8000;
    private const int NoteSamples = SampleRate * 240 / 1000;
    private const int FadeSamples = SampleRate * 15 / 1000;
    private const double Amplitude = 5000;

    public static ReadOnlyMemory<byte> MuLaw { get; } = Generate();

    private static byte[] Generate()
    {
        double[] frequencies = [659.25, 880.0];
        var pcm = new short[NoteSamples * frequencies.Length];
        for (var note = 0; note < frequencies.Length; note++)
        {
            for (var i = 0; i < NoteSamples; i++)
            {
                var envelope = Math.Min(1.0, Math.Min(i, NoteSamples - 1 - i) / (double)FadeSamples);
                pcm[(note * NoteSamples) + i] = (short)Math.Round(Amplitude * envelope * Math.Sin(2 * Math.PI * frequencies[note] * i / SampleRate));
            }
        }
        var muLaw = new byte[pcm.Length];
        Twilio.Audio.MuLaw.Encode(pcm, muLaw);
        return muLaw;
    }
}
