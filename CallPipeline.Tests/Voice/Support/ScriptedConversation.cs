extern alias voice;

using System.Collections.Concurrent;
using voice::CallPipeline.Voice.Conversation;

namespace CallPipeline.Tests.Voice.Support;

/// <summary>
/// A conversation plugged into the seam the way an agent would: it talks (audio, a mark), interrupts itself with
/// clear when the caller presses a key, and keeps a realtime transcript.
/// </summary>
internal sealed class ScriptedConversation : ICallConversation
{
    private readonly ConcurrentQueue<string> _lines = new();
    private ICallAudioOutput? _output;

    public int CallerSamples;

    public string? RealtimeTranscript => _lines.IsEmpty ? null : string.Join('\n', _lines);

    public async Task StartAsync(ICallAudioOutput output, CancellationToken cancellationToken)
    {
        _output = output;
        _lines.Enqueue("agent: hello");
        await output.SendAudioAsync(Enumerable.Repeat((byte)0x9E, 480).ToArray(), cancellationToken);
        await output.SendMarkAsync("hello", cancellationToken);
    }

    public ValueTask OnCallerAudioAsync(ReadOnlyMemory<short> pcm, CancellationToken cancellationToken)
    {
        Interlocked.Add(ref CallerSamples, pcm.Length);
        return ValueTask.CompletedTask;
    }

    public ValueTask OnMarkAsync(string name, CancellationToken cancellationToken)
    {
        _lines.Enqueue($"mark: {name}");
        return ValueTask.CompletedTask;
    }

    public async ValueTask OnDtmfAsync(string digit, CancellationToken cancellationToken)
    {
        _lines.Enqueue($"caller: pressed {digit}");
        await _output!.ClearAsync(cancellationToken);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

internal sealed class ScriptedConversationFactory : ICallConversationFactory
{
    public ConcurrentBag<ScriptedConversation> Created { get; } = [];

    public ICallConversation Create(CallConversationContext context)
    {
        var conversation = new ScriptedConversation();
        Created.Add(conversation);
        return conversation;
    }
}
