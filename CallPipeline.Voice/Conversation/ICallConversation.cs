namespace CallPipeline.Voice.Conversation;

/// <summary>
/// The seam where a conversational agent plugs into a live call. The media stream feeds it the caller's audio and
/// events; it answers through <see cref="ICallAudioOutput"/>. Its <see cref="RealtimeTranscript"/> is saved on the
/// call log when the stream ends.
/// </summary>
public interface ICallConversation : IAsyncDisposable
{
    /// <summary>Called once the stream has started; a typical agent greets the caller here.</summary>
    Task StartAsync(ICallAudioOutput output, CancellationToken cancellationToken);

    /// <summary>
    /// The caller's audio, decoded to 8 kHz 16-bit PCM, in arrival order. The memory is the session's own buffer, reused
    /// for the next frame: valid until the returned task completes, so copy what you keep.
    /// </summary>
    ValueTask OnCallerAudioAsync(ReadOnlyMemory<short> pcm, CancellationToken cancellationToken);

    /// <summary>Twilio echoed a mark: the audio before it finished playing or was cleared.</summary>
    ValueTask OnMarkAsync(string name, CancellationToken cancellationToken);

    /// <summary>The caller pressed a key.</summary>
    ValueTask OnDtmfAsync(string digit, CancellationToken cancellationToken);

    /// <summary>What was said so far ("caller: …" / "agent: …" lines), or null when the conversation keeps none.</summary>
    string? RealtimeTranscript { get; }
}
