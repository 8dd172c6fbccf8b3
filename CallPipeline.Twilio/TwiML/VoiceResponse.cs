using System.Text;
using System.Xml;

namespace CallPipeline.Twilio.TwiML;

/// <summary>
/// The two TwiML documents the gateway answers with. Written with <see cref="XmlWriter"/> so every value is escaped.
/// </summary>
public static class VoiceResponse
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

        return Write(writer =>
        {
            writer.WriteStartElement("Connect");
            writer.WriteStartElement("Stream");
            writer.WriteAttributeString("url", streamUrl);
            foreach (var (name, value) in parameters)
            {
                writer.WriteStartElement("Parameter");
                writer.WriteAttributeString("name", name);
                writer.WriteAttributeString("value", value);
                writer.WriteEndElement();
            }
            writer.WriteEndElement();
            writer.WriteEndElement();
        });
    }

    /// <summary>
    /// A polite refusal: <c>&lt;Say&gt;</c> the message, then <c>&lt;Hangup/&gt;</c>. (<c>&lt;Reject&gt;</c> would refuse
    /// before answering, but then the caller hears no explanation at all.)
    /// </summary>
    public static string SayAndHangUp(string message, string? language = null)
    {
        return Write(writer =>
        {
            writer.WriteStartElement("Say");
            if (!string.IsNullOrEmpty(language))
            {
                writer.WriteAttributeString("language", language);
            }
            writer.WriteString(message);
            writer.WriteEndElement();
            writer.WriteElementString("Hangup", null);
        });
    }

    /// <summary><c>&lt;Reject reason="busy|rejected"/&gt;</c>: refuse without answering, so the call is not billed.</summary>
    public static string Reject(string reason = "rejected")
    {
        return Write(writer =>
        {
            writer.WriteStartElement("Reject");
            writer.WriteAttributeString("reason", reason);
            writer.WriteEndElement();
        });
    }

    private static string Write(Action<XmlWriter> body)
    {
        var builder = new StringBuilder();
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), OmitXmlDeclaration = false, Indent = false };
        using (var writer = XmlWriter.Create(new Utf8StringWriter(builder), settings))
        {
            writer.WriteStartDocument();
            writer.WriteStartElement("Response");
            body(writer);
            writer.WriteEndElement();
            writer.WriteEndDocument();
        }
        return builder.ToString();
    }

    /// <summary>StringWriter reports UTF-16; Twilio's examples declare UTF-8, which is what goes on the wire.</summary>
    private sealed class Utf8StringWriter(StringBuilder builder) : StringWriter(builder)
    {
        public override Encoding Encoding => new UTF8Encoding(false);
    }
}
