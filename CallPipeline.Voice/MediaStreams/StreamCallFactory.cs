using CallPipeline.Data.Tracing;
using CallPipeline.Voice.Conversation;
using CallPipeline.Voice.Recordings;
using CallPipeline.Voice.Telemetry;
using Microsoft.Extensions.Options;

namespace CallPipeline.Voice.MediaStreams;

/// <summary>Begins the call of an admitted stream: its span, its recordings and its conversation.</summary>
public sealed partial class StreamCallFactory(
    RecordingFileWriter recordingWriter,
    RecordingStarter recordingStarter,
    ICallConversationFactory conversations,
    CallFinalizer finalizer,
    IOptions<VoiceOptions> options,
    ILoggerFactory loggerFactory)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<StreamCallFactory>();
    private readonly ILogger _callLogger = loggerFactory.CreateLogger<StreamCall>();
    private readonly ILogger _recordingLogger = loggerFactory.CreateLogger<StreamRecording>();
    private readonly ILogger _conversationLogger = loggerFactory.CreateLogger<StreamConversation>();

    /// <summary>
    /// Starts the stream's span (the current activity from here on, so the recording start and the conversation run in
    /// the call's trace), the local and Twilio recordings, and the conversation, which talks on <paramref name="socket"/>.
    /// </summary>
    public StreamCall Begin(AdmittedStream stream, MediaStreamSocket socket)
    {
        var span = CallTraces.StartForCall("media stream", stream.CallSid, stream.Call.GetTrace());
        span?.SetTag(TraceTags.StreamSid, stream.StreamSid);
        LogStarted(_logger, stream.CallSid, stream.StreamSid, string.Join(',', stream.Start.Tracks ?? []));

        var recording = StreamRecording.Start(stream.CallSid, options.Value.RecordingsPath, recordingWriter, recordingStarter, _recordingLogger);
        var conversation = conversations.Create(new CallConversationContext(
            stream.CallSid, stream.StreamSid, stream.Call.BusinessId!.Value, stream.Call.Direction, stream.Start.CustomParameters ?? new Dictionary<string, string>()));
        var host = StreamConversation.Start(stream.CallSid, conversation, new StreamAudioOutput(socket, stream.StreamSid, recording), _conversationLogger);
        return new StreamCall(stream, span, recording, host, finalizer, _callLogger);
    }

    [LoggerMessage(1, LogLevel.Information, "Media stream {StreamSid} started for {CallSid} (tracks {Tracks})")]
    private static partial void LogStarted(ILogger logger, string callSid, string streamSid, string tracks);
}
