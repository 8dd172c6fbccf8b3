using System.Globalization;
using CallPipeline.Data.Entities;
using Microsoft.Extensions.Options;
using OpenAI;
using OpenAI.Chat;

namespace CallPipeline.Worker.Ai;

/// <summary>A short summary of a call by the chat model, in the business's language and with the business's own context.</summary>
public sealed class CallSummarizer(OpenAIClient client, IOptions<OpenAiOptions> options)
{
    public async Task<string> SummarizeAsync(Business business, CallLog call, string transcript, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.ChatTimeout);
        ChatMessage[] messages =
        [
            new SystemChatMessage(Instructions(business, call)),
            new UserChatMessage(transcript),
        ];
        var completion = await client.GetChatClient(options.Value.ChatModel).CompleteChatAsync(
            messages,
            new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 500 },
            timeout.Token);
        return string.Concat(completion.Value.Content.Select(part => part.Text)).Trim();
    }

    /// <summary>The deterministic summary of a call without speech; no model is asked.</summary>
    public static string NoSpeechSummary(Business business, CallLog call)
    {
        var seconds = call.DurationSeconds ?? (int?)call.AudioDurationSeconds ?? 0;
        return business.Language == "he"
            ? $"שיחה ללא דיבור ({seconds} שניות)."
            : string.Create(CultureInfo.InvariantCulture, $"Call without speech ({seconds} s).");
    }

    public static string Instructions(Business business, CallLog call)
    {
        var direction = call.Direction == CallDirection.Outbound ? "an outbound call made by the business" : "an inbound call to the business";
        return $"""
            You summarise phone calls for the business "{business.Name}".
            Business kind: {business.Kind ?? "not given"}.
            Business description: {business.Description ?? "not given"}.
            The call is {direction}; the user message is its transcript.{Speakers(business, call)}
            Write the summary in the language with ISO 639-1 code "{business.Language}", in at most 5 short sentences:
            what the caller wanted, the city or area, the service requested, the customer's name if said, and the agreed next step.
            Use only facts from the transcript; do not invent details.
            """;
    }

    /// <summary>How to read the speaker labels, when the transcript has them (two-channel recordings).</summary>
    public static string Speakers(Business business, CallLog call)
    {
        if (!SpeakerTranscript.HasRoles(call))
        {
            return "";
        }
        var (caller, line) = SpeakerTranscript.Labels(business.Language);
        return $"""

            Each line of the transcript starts with who speaks: "{caller}:" is the customer, "{line}:" is the business's own line
            (its assistant or agent), which greets, asks and confirms. Facts about the customer come from the customer's words.
            """;
    }
}
