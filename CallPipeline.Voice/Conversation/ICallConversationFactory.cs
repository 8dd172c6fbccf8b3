namespace CallPipeline.Voice.Conversation;

/// <summary>Creates the conversation for each call; register another implementation to plug in an agent.</summary>
public interface ICallConversationFactory
{
    ICallConversation Create(CallConversationContext context);
}
