extern alias voice;

using BenchmarkDotNet.Attributes;
using CallPipeline.Twilio.Audio;
using CallPipeline.Twilio.MediaStreams;
using Microsoft.Extensions.Logging.Abstractions;
using voice::CallPipeline.Voice.MediaStreams;

namespace CallPipeline.Benchmarks.HotPath;

/// <summary>
/// What the gateway does with each 20 ms media message: parse it, decode the mu-law, add it to the call's recording.
/// The general way (records and fresh arrays, as before) against the in-place way the receive loop now takes. The file
/// is /dev/null: the recorder's chunks still go through the writer thread and a write system call, so nothing grows.
/// </summary>
[MemoryDiagnoser]
public class MediaFrameBenchmarks
{
    private readonly byte[] _muLaw = new byte[1536];
    private readonly short[] _pcm = new short[1536];
    private byte[] _message = [];
    private RecordingFileWriter _writer = null!;
    private StereoWavRecorder _recorder = null!;
    private long _timestamp;

    [GlobalSetup]
    public void Setup()
    {
        var payload = Convert.ToBase64String(Enumerable.Range(0, 160).Select(i => (byte)(i * 7)).ToArray());
        _message = System.Text.Encoding.UTF8.GetBytes(
            $$"""{"event":"media","sequenceNumber":"4","media":{"track":"inbound","chunk":"2","timestamp":"20","payload":"{{payload}}"},"streamSid":"MZ0123456789abcdef0123456789abcdef"}""");
        _writer = new RecordingFileWriter(NullLogger<RecordingFileWriter>.Instance);
        _recorder = new StereoWavRecorder("/dev/null", _writer);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _recorder.CompleteAsync().GetAwaiter().GetResult();
        _writer.Dispose();
    }

    [Benchmark(Baseline = true, Description = "records: parse to records, decode into new arrays, record")]
    public long ThroughRecords()
    {
        var media = MediaStreamSerializer.TryParse(_message)!.Media!;
        var muLaw = new byte[(media.Payload!.Length * 3 / 4) + 3];
        Convert.TryFromBase64String(media.Payload, muLaw, out var length);
        var pcm = new short[length];
        MuLaw.Decode(muLaw.AsSpan(0, length), pcm);
        _recorder.WriteInbound(pcm, _timestamp += 20);
        return _recorder.SampleFrames;
    }

    [Benchmark(Description = "in place: read into the session's buffers, decode, record")]
    public long InPlace()
    {
        MediaStreamSerializer.TryReadMedia(_message, _muLaw, out var frame);
        MuLaw.Decode(_muLaw.AsSpan(0, frame.PayloadLength), _pcm);
        _recorder.WriteInbound(_pcm.AsSpan(0, frame.PayloadLength), _timestamp += 20);
        return _recorder.SampleFrames;
    }
}
