extern alias voice;

using CallPipeline.Tests.Voice.Support;
using Microsoft.Extensions.Logging.Abstractions;
using voice::CallPipeline.Voice.MediaStreams;

namespace CallPipeline.Tests.Voice;

public sealed class StereoWavRecorderTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "callpipeline-wav-tests", Guid.NewGuid().ToString("N") + ".wav");
    private readonly RecordingFileWriter _writer = new(NullLogger<RecordingFileWriter>.Instance);

    [Fact]
    public async Task The_caller_is_left_and_queued_outbound_audio_plays_on_the_right_at_the_callers_pace()
    {
        await using (var recorder = new StereoWavRecorder(_path, _writer))
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
    public async Task Clear_drops_outbound_audio_not_yet_played()
    {
        await using (var recorder = new StereoWavRecorder(_path, _writer))
        {
            recorder.QueueOutbound([7, 8, 9]);
            recorder.WriteInbound([1], timestampMs: 0);
            recorder.ClearOutbound();
            recorder.WriteInbound([2], timestampMs: null);
        }

        Assert.Equal([1, 7, 2, 0], WavFile.Read(_path).Samples);
    }

    [Fact]
    public async Task A_gap_in_the_callers_timestamps_becomes_silence_so_the_recording_keeps_the_calls_clock()
    {
        await using (var recorder = new StereoWavRecorder(_path, _writer))
        {
            recorder.WriteInbound(Enumerable.Repeat((short)5, 160).ToArray(), timestampMs: 0);
            recorder.WriteInbound(Enumerable.Repeat((short)5, 160).ToArray(), timestampMs: 100);
        }

        var wav = WavFile.Read(_path);
        Assert.Equal(800 + 160, wav.SampleFrames);
        Assert.All(wav.Channel(0).Skip(160).Take(640), s => Assert.Equal(0, s));
    }

    [Fact]
    public async Task Completing_twice_is_harmless_and_writes_after_completion_are_dropped()
    {
        var recorder = new StereoWavRecorder(_path, _writer);
        recorder.WriteInbound([1, 2], timestampMs: 0);
        Assert.True(await recorder.CompleteAsync());
        recorder.WriteInbound([3], timestampMs: null);
        await recorder.DisposeAsync();

        Assert.Equal(2, WavFile.Read(_path).SampleFrames);
    }

    [Fact]
    public async Task A_long_recording_reaches_the_file_chunk_by_chunk_in_order()
    {
        var samples = Enumerable.Range(0, 50 * 160).Select(i => (short)(i % 3000)).ToArray();
        await using (var recorder = new StereoWavRecorder(_path, _writer))
        {
            for (var frame = 0; frame < 50; frame++)
            {
                recorder.WriteInbound(samples.AsSpan(frame * 160, 160), timestampMs: frame * 20);
            }
        }

        Assert.Equal(samples, WavFile.Read(_path).Channel(0));
    }

    [Fact]
    public async Task A_recording_that_cannot_be_written_completes_false()
    {
        var blocked = Path.Combine(Path.GetTempPath(), "callpipeline-wav-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.GetDirectoryName(blocked)!);
        await File.WriteAllTextAsync(blocked, "a file where the folder should be");
        try
        {
            var recorder = new StereoWavRecorder(Path.Combine(blocked, "call.wav"), _writer);
            recorder.WriteInbound(new short[160], timestampMs: 0);
            Assert.False(await recorder.CompleteAsync().WaitAsync(TimeSpan.FromSeconds(10)));
        }
        finally
        {
            File.Delete(blocked);
        }
    }

    public void Dispose()
    {
        _writer.Dispose();
        File.Delete(_path);
    }
}
