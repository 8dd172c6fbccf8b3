namespace CallPipeline.Voice.Conversation;

/// <summary>
/// The conversation until an agent exists: a short chime so the caller knows the line is live, then listening.
/// The post-call pipeline works from the recording, so no realtime transcript is kept.
/// </summary>
public sealed class GreetingConversation : ICallConversation
{
    public const string GreetingMark = "greeting";

    public string? RealtimeTranscript => null;

    public async Task StartAsync(ICallAudioOutput output, CancellationToken cancellationToken)
    {
        await output.SendAudioAsync(GreetingTone.MuLaw, cancellationToken);
        await output.SendMarkAsync(GreetingMark, cancellationToken);
    }

    public ValueTask OnCallerAudioAsync(ReadOnlyMemory<short> pcm, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask OnMarkAsync(string name, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask OnDtmfAsync(string digit, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
