using System.Xml.Linq;
using Twilio.TwiML;
using Twilio.TwiML.Voice;
using TwilioStream = Twilio.TwiML.Voice.Stream;

namespace CallPipeline.Twilio.TwiML;

/// <summary>The two TwiML documents the gateway answers calls with, built with Twilio's SDK (which escapes every value).</summary>
public static class CallAnswerTwiml
{
    /// <summary>
    /// <c>&lt;Response&gt;&lt;Connect&gt;&lt;Stream url="…"&gt;&lt;Parameter …/&gt;&lt;/Stream&gt;&lt;/Connect&gt;&lt;/Response&gt;</c>:
    /// a bidirectional Media Stream. Stream URLs cannot carry a query string, so per-call values go in parameters.
    /// </summary>
    public static string ConnectStream(string streamUrl, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        if (!streamUrl.StartsWith("wss://", StringComparison.Ordinal) && !streamUrl.StartsWith("ws://", StringComparison.Ordinal))
        {
            throw new ArgumentException("A Media Stream URL is a ws:// or wss:// URL.", nameof(streamUrl));
        }
        if (streamUrl.Contains('?', StringComparison.Ordinal))
        {
            throw new ArgumentException("Twilio rejects Media Stream URLs with a query string (error 31920).", nameof(streamUrl));
        }

        var stream = new TwilioStream(url: streamUrl);
        foreach (var (name, value) in parameters)
        {
            stream.Parameter(name, value);
        }
        return Write(new VoiceResponse().Append(new Connect().Append(stream)));
    }

    /// <summary>
    /// A polite refusal: <c>&lt;Say&gt;</c> the message, then <c>&lt;Hangup/&gt;</c>. (<c>&lt;Reject&gt;</c> would refuse
    /// before answering, but then the caller hears no explanation at all.)
    /// </summary>
    public static string SayAndHangUp(string message, string? language = null) =>
        // The cast matters: a null string would convert implicitly to a LanguageEnum holding null, which the SDK cannot write.
        Write(new VoiceResponse().Say(message, language: string.IsNullOrEmpty(language) ? null : (Say.LanguageEnum)language).Hangup());

    /// <summary>On one line, as before the SDK: its default indents, which adds whitespace-only text to every element.</summary>
    private static string Write(VoiceResponse response) => response.ToString(SaveOptions.DisableFormatting);
}
