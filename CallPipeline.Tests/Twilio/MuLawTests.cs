using System.Security.Cryptography;
using CallPipeline.Twilio.Audio;

namespace CallPipeline.Tests.Twilio;

/// <summary>G.711 mu-law against the vectors in the project's research notes (reference/twilio.md §5, from CPython audioop).</summary>
public sealed class MuLawTests
{
    [Fact]
    public void The_decode_table_equals_audioops()
    {
        var table = new byte[512];
        for (var u = 0; u < 256; u++)
        {
            BitConverter.TryWriteBytes(table.AsSpan(u * 2), MuLaw.Decode((byte)u));
        }

        Assert.Equal("3dab54339e520bb2c924826e3b72a917a2b612e9fd12fc867500f1d983a75827", Convert.ToHexStringLower(SHA256.HashData(table)));
    }

    [Fact]
    public void Every_code_but_0x7F_survives_decode_then_encode()
    {
        for (var u = 0; u < 256; u++)
        {
            var expected = u == 0x7F ? 0xFF : u;
            Assert.Equal(expected, MuLaw.Encode(MuLaw.Decode((byte)u)));
        }
    }

    [Theory]
    [InlineData(0, 0xFF)]
    [InlineData(1, 0xFF)]
    [InlineData(-1, 0x7E)]
    [InlineData(-2, 0x7E)]
    [InlineData(-4, 0x7E)]
    [InlineData(-5, 0x7E)]
    [InlineData(8, 0xFE)]
    [InlineData(-8, 0x7E)]
    [InlineData(100, 0xF2)]
    [InlineData(-100, 0x72)]
    [InlineData(1000, 0xCE)]
    [InlineData(-1000, 0x4E)]
    [InlineData(4000, 0xAF)]
    [InlineData(-4000, 0x2F)]
    [InlineData(10000, 0x9C)]
    [InlineData(-10000, 0x1C)]
    [InlineData(32767, 0x80)]
    [InlineData(-32768, 0x00)]
    public void Encoding_matches_audioop(short sample, byte expected)
    {
        Assert.Equal(expected, MuLaw.Encode(sample));
    }

    [Fact]
    public void A_1_kHz_sine_encodes_to_the_known_frame()
    {
        short[] sine = [0, 5657, 8000, 5657, 0, -5657, -8000, -5657];
        var encoded = new byte[sine.Length];

        MuLaw.Encode(sine, encoded);

        Assert.Equal("/6mgqf8pICk=", Convert.ToBase64String(encoded));
    }

    [Fact]
    public void The_documented_media_payload_decodes_to_its_samples()
    {
        var payload = Convert.FromBase64String("no+JhoaJ");
        var samples = new short[payload.Length];

        MuLaw.Decode(payload, samples);

        Assert.Equal([8828, 16764, 22908, 25980, 25980, 22908], samples);
    }
}
