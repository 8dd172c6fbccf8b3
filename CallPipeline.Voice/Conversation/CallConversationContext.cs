using CallPipeline.Data.Entities;

namespace CallPipeline.Voice.Conversation;

/// <summary>What a conversation knows about the call it is having.</summary>
public sealed record CallConversationContext(
    string CallSid,
    string StreamSid,
    int BusinessId,
    CallDirection Direction,
    IReadOnlyDictionary<string, string> CustomParameters);
