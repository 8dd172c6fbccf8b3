namespace CallPipeline.Voice.Conversation;

/// <summary>What a conversation can do to the caller's ear: play audio, place marks, and stop what is still queued.</summary>
public interface ICallAudioOutput
{
    /// <summary>Queues 8 kHz mu-law audio for playback; any length, sent in 20 ms frames.</summary>
    ValueTask SendAudioAsync(ReadOnlyMemory<byte> muLaw, CancellationToken cancellationToken);

    /// <summary>Twilio echoes the mark once the audio queued before it has played (or was cleared).</summary>
    ValueTask SendMarkAsync(string name, CancellationToken cancellationToken);

    /// <summary>Drops every queued sound, e.g. when the caller starts speaking over the agent.</summary>
    ValueTask ClearAsync(CancellationToken cancellationToken);
}
