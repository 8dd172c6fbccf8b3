namespace CallPipeline.DevDoubles.OpenAi.Chat;

/// <summary>A <c>chat.completion</c> object as OpenAI returns it, with one choice.</summary>
public sealed record ChatCompletionResponse(
    string Id, string Object, long Created, string Model, IReadOnlyList<ChatCompletionResponse.Choice> Choices,
    ChatCompletionResponse.CompletionUsage Usage, string ServiceTier, string SystemFingerprint)
{
    public static ChatCompletionResponse Create(string model, string content, int promptTokens, DateTimeOffset now)
    {
        var completionTokens = (content.Length + 3) / 4;
        return new ChatCompletionResponse(
            "chatcmpl-" + Guid.NewGuid().ToString("N")[..29], "chat.completion", now.ToUnixTimeSeconds(), model,
            [new Choice(0, new Message("assistant", content, null, []), null, "stop")],
            new CompletionUsage(promptTokens, completionTokens, promptTokens + completionTokens, new PromptDetails(0, 0), new CompletionDetails(0, 0, 0, 0)),
            "default", "fp_double");
    }

    public sealed record Choice(int Index, Message Message, object? Logprobs, string FinishReason);

    public sealed record Message(string Role, string Content, string? Refusal, object[] Annotations);

    public sealed record CompletionUsage(int PromptTokens, int CompletionTokens, int TotalTokens, PromptDetails PromptTokensDetails, CompletionDetails CompletionTokensDetails);

    public sealed record PromptDetails(int CachedTokens, int AudioTokens);

    public sealed record CompletionDetails(int ReasoningTokens, int AudioTokens, int AcceptedPredictionTokens, int RejectedPredictionTokens);
}
