using CallPipeline.Twilio.Audio;

namespace CallPipeline.Tests.DevDoubles.Twilio.Support;

internal static class TestTones
{
    /// <summary>A 440 Hz tone at 8 kHz, mu-law: the fake gateway's greeting, easy to find in channel 2 of a recording.</summary>
    public static byte[] MuLawTone(TimeSpan length)
    {
        var samples = (int)(length.TotalSeconds * 8000);
        var tone = new byte[samples];
        for (var i = 0; i < samples; i++)
        {
            tone[i] = MuLaw.Encode((short)(8000 * Math.Sin(2 * Math.PI * 440 * i / 8000.0)));
        }
        return tone;
    }
}
