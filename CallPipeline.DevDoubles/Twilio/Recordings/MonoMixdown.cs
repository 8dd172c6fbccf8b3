using System.Buffers.Binary;
using CallPipeline.Twilio.Audio;

namespace CallPipeline.DevDoubles.Twilio.Recordings;

/// <summary>Twilio serves a dual-channel recording as one mixed channel unless RequestedChannels=2 is asked for.</summary>
public static class MonoMixdown
{
    public static void Write(string dualPath, string monoPath)
    {
        using var input = new FileStream(dualPath, FileMode.Open, FileAccess.Read, FileShare.Read);
        using var output = new FileStream(monoPath, FileMode.Create, FileAccess.Write);
        var frames = (input.Length - WavInfo.CanonicalHeaderLength) / 4;
        output.Write(RecordingWavWriter.Header(1, frames * 2));
        input.Position = WavInfo.CanonicalHeaderLength;
        var stereo = new byte[4 * 800];
        var mono = new byte[2 * 800];
        int read;
        while ((read = input.ReadAtLeast(stereo, stereo.Length, throwOnEndOfStream: false)) >= 4)
        {
            var count = read / 4;
            for (var i = 0; i < count; i++)
            {
                var caller = BinaryPrimitives.ReadInt16LittleEndian(stereo.AsSpan(i * 4));
                var gateway = BinaryPrimitives.ReadInt16LittleEndian(stereo.AsSpan(i * 4 + 2));
                BinaryPrimitives.WriteInt16LittleEndian(mono.AsSpan(i * 2), RecordingWavWriter.Mix(caller, gateway));
            }
            output.Write(mono, 0, count * 2);
        }
    }
}
