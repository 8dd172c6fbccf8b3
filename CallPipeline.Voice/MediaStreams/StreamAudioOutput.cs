using CallPipeline.Twilio.Audio;
using CallPipeline.Twilio.MediaStreams;
using CallPipeline.Voice.Conversation;

namespace CallPipeline.Voice.MediaStreams;

/// <summary>
/// A conversation's voice on one stream: Twilio's <c>media</c>, <c>mark</c> and <c>clear</c> messages on the socket,
/// and what is played on the recording's second channel.
/// </summary>
public sealed class StreamAudioOutput(MediaStreamSocket socket, string streamSid, StreamRecording recording) : ICallAudioOutput
{
    /// <summary>20 ms of 8 kHz mu-law, the frame Twilio plays.</summary>
    public const int FrameBytes = 160;

    public async ValueTask SendAudioAsync(ReadOnlyMemory<byte> muLaw, CancellationToken cancellationToken)
    {
        var pcm = new short[FrameBytes];
        for (var offset = 0; offset < muLaw.Length; offset += FrameBytes)
        {
            var frame = muLaw.Slice(offset, Math.Min(FrameBytes, muLaw.Length - offset));
            if (!await socket.SendAsync(MediaStreamSerializer.Media(streamSid, frame.Span), cancellationToken))
            {
                return;
            }
            MuLaw.Decode(frame.Span, pcm.AsSpan(0, frame.Length));
            recording.QueueOutbound(pcm.AsSpan(0, frame.Length));
        }
    }

    public async ValueTask SendMarkAsync(string name, CancellationToken cancellationToken) =>
        await socket.SendAsync(MediaStreamSerializer.Mark(streamSid, name), cancellationToken);

    public async ValueTask ClearAsync(CancellationToken cancellationToken)
    {
        recording.ClearOutbound();
        await socket.SendAsync(MediaStreamSerializer.Clear(streamSid), cancellationToken);
    }
}
