extern alias voice;

using CallPipeline.Tests.Voice.Support;
using voice::CallPipeline.Voice.MediaStreams;

namespace CallPipeline.Tests.Voice;

public sealed class StereoWavRecorderTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "callpipeline-wav-tests", Guid.NewGuid().ToString("N") + ".wav");

    [Fact]
    public void The_caller_is_left_and_queued_outbound_audio_plays_on_the_right_at_the_callers_pace()
    {
        using (var recorder = new StereoWavRecorder(_path))
        {
            recorder.QueueOutbound([7, 8, 9]);
            recorder.WriteInbound([1, 2], timestampMs: 0);
            recorder.WriteInbound([3, 4], timestampMs: null);
            Assert.Equal(4, recorder.SampleFrames);
        }

        var wav = WavFile.Read(_path);
        Assert.Equal([1, 7, 2, 8, 3, 9, 4, 0], wav.Samples);
    }

    [Fact]
    public void Clear_drops_outbound_audio_not_yet_played()
    {
        using (var recorder = new StereoWavRecorder(_path))
        {
            recorder.QueueOutbound([7, 8, 9]);
            recorder.WriteInbound([1], timestampMs: 0);
            recorder.ClearOutbound();
            recorder.WriteInbound([2], timestampMs: null);
        }

        Assert.Equal([1, 7, 2, 0], WavFile.Read(_path).Samples);
    }

    [Fact]
    public void A_gap_in_the_callers_timestamps_becomes_silence_so_the_recording_keeps_the_calls_clock()
    {
        using (var recorder = new StereoWavRecorder(_path))
        {
            recorder.WriteInbound(Enumerable.Repeat((short)5, 160).ToArray(), timestampMs: 0);
            recorder.WriteInbound(Enumerable.Repeat((short)5, 160).ToArray(), timestampMs: 100);
        }

        var wav = WavFile.Read(_path);
        Assert.Equal(800 + 160, wav.SampleFrames);
        Assert.All(wav.Channel(0).Skip(160).Take(640), s => Assert.Equal(0, s));
    }

    [Fact]
    public void Completing_twice_is_harmless_and_writes_after_completion_are_dropped()
    {
        var recorder = new StereoWavRecorder(_path);
        recorder.WriteInbound([1, 2], timestampMs: 0);
        recorder.Complete();
        recorder.WriteInbound([3], timestampMs: null);
        recorder.Dispose();

        Assert.Equal(2, WavFile.Read(_path).SampleFrames);
    }

    public void Dispose() => File.Delete(_path);
}
