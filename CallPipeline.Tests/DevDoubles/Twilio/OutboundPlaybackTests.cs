extern alias devdoubles;

using devdoubles::CallPipeline.DevDoubles.Simulator.MediaStreams;

namespace CallPipeline.Tests.DevDoubles.Twilio;

/// <summary>Twilio's playback of the gateway's audio (twilio.md §3): buffered in order, marks after their audio, clear echoes pending marks.</summary>
public sealed class OutboundPlaybackTests
{
    [Fact]
    public void A_mark_with_nothing_buffered_is_due_at_once()
    {
        Assert.True(new OutboundPlayback().AddMark("now"));
    }

    [Fact]
    public void A_mark_is_reached_when_the_audio_before_it_has_played_and_silence_fills_the_rest()
    {
        var playback = new OutboundPlayback();
        playback.Enqueue(Enumerable.Repeat((byte)0x10, 200).ToArray());
        Assert.False(playback.AddMark("after-200"));
        var frame = new byte[160];

        Assert.Empty(playback.Play(frame));
        Assert.All(frame, b => Assert.Equal(0x10, b));
        Assert.Equal(["after-200"], playback.Play(frame));
        Assert.All(frame[..40], b => Assert.Equal(0x10, b));
        Assert.All(frame[40..], b => Assert.Equal(0xFF, b));
        Assert.True(playback.IsIdle);
    }

    [Fact]
    public void Clear_drops_the_buffer_and_returns_every_pending_mark()
    {
        var playback = new OutboundPlayback();
        playback.Enqueue(new byte[1600]);
        playback.AddMark("a");
        playback.Enqueue(new byte[1600]);
        playback.AddMark("b");

        Assert.Equal(["a", "b"], playback.Clear());
        var frame = new byte[160];
        Assert.Empty(playback.Play(frame));
        Assert.All(frame, b => Assert.Equal(0xFF, b));
    }
}
