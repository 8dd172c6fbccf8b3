extern alias voice;

using CallPipeline.Tests.Support;
using CallPipeline.Tests.Voice.Support;
using Microsoft.Extensions.Logging;
using voice::CallPipeline.Voice.Conversation;
using voice::CallPipeline.Voice.MediaStreams;

namespace CallPipeline.Tests.Voice;

/// <summary>The host of a call's conversation, alone: start, stop and end without a socket.</summary>
public sealed class StreamConversationTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Stopping_cancels_a_conversation_still_talking_and_ending_returns_its_transcript_without_a_warning()
    {
        var logs = new CapturedLogs(LogLevel.Debug);
        var conversation = new TalkingConversation(fails: false);
        using var host = StreamConversation.Start(VoiceTestData.NewCallSid(), conversation, new SilentOutput(), logs.CreateLogger("test"));
        await conversation.Talking.Task.WaitAsync(Timeout);

        await host.StopAsync();
        var transcript = await host.EndAsync().WaitAsync(Timeout);

        Assert.Equal("agent: hello", transcript);
        Assert.True(conversation.Disposed);
        Assert.Empty(logs.Entries);
    }

    [Fact]
    public async Task A_conversation_that_fails_to_start_is_logged_and_still_ends_with_its_transcript()
    {
        var logs = new CapturedLogs(LogLevel.Debug);
        var callSid = VoiceTestData.NewCallSid();
        var conversation = new TalkingConversation(fails: true);
        using var host = StreamConversation.Start(callSid, conversation, new SilentOutput(), logs.CreateLogger("test"));

        await host.StopAsync();
        var transcript = await host.EndAsync().WaitAsync(Timeout);

        Assert.Equal("agent: hello", transcript);
        Assert.True(conversation.Disposed);
        var entry = Assert.Single(logs.Entries);
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Equal($"Conversation of {callSid} failed; the stream keeps recording", entry.Message);
    }

    /// <summary>Says hello, then fails or talks until it is told to stop.</summary>
    private sealed class TalkingConversation(bool fails) : ICallConversation
    {
        public TaskCompletionSource Talking { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Disposed { get; private set; }

        public string? RealtimeTranscript { get; private set; }

        public async Task StartAsync(ICallAudioOutput output, CancellationToken cancellationToken)
        {
            RealtimeTranscript = "agent: hello";
            if (fails)
            {
                throw new InvalidOperationException("the agent is down");
            }
            Talking.SetResult();
            await Task.Delay(System.Threading.Timeout.Infinite, cancellationToken);
        }

        public ValueTask OnCallerAudioAsync(ReadOnlyMemory<short> pcm, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask OnMarkAsync(string name, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask OnDtmfAsync(string digit, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask DisposeAsync()
        {
            Disposed = true;
            return ValueTask.CompletedTask;
        }
    }

    private sealed class SilentOutput : ICallAudioOutput
    {
        public ValueTask SendAudioAsync(ReadOnlyMemory<byte> muLaw, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask SendMarkAsync(string name, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask ClearAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
