namespace CallPipeline.Voice.Conversation;

public sealed class GreetingConversationFactory : ICallConversationFactory
{
    public ICallConversation Create(CallConversationContext context) => new GreetingConversation();
}
