using System.Xml;
using System.Xml.Linq;

namespace CallPipeline.DevDoubles.Simulator.Twiml;

/// <summary>
/// Reads the verbs of a TwiML response in order, as Twilio executes them, up to the first one that connects or ends
/// the call. Verbs that only play something to the caller (Say, Play, Pause) and Start are passed over.
/// </summary>
public static class TwimlReader
{
    public static TwimlAction Read(string xml, Uri requestUrl)
    {
        XDocument document;
        try
        {
            document = XDocument.Parse(xml);
        }
        catch (XmlException ex)
        {
            return new InvalidTwiml(12100, $"Document parse failure: {ex.Message}");
        }
        if (document.Root is not { Name.LocalName: "Response" } response)
        {
            return new InvalidTwiml(12100, "The root element is not <Response>.");
        }
        foreach (var verb in response.Elements())
        {
            switch (verb.Name.LocalName)
            {
                case "Connect":
                    return ReadConnect(verb, requestUrl);
                case "Reject":
                    return new RejectCall((string?)verb.Attribute("reason") ?? "rejected");
                case "Hangup":
                    return new HangUpCall("<Hangup>");
            }
        }
        return new HangUpCall("no more TwiML verbs");
    }

    private static TwimlAction ReadConnect(XElement connect, Uri requestUrl)
    {
        if (connect.Element("Stream") is not { } stream)
        {
            return new InvalidTwiml(12100, "Only <Connect><Stream> is simulated.");
        }
        var url = (string?)stream.Attribute("url");
        if (string.IsNullOrWhiteSpace(url))
        {
            return new InvalidTwiml(31920, "<Stream> has no url.");
        }
        // Checked by hand: on Linux System.Uri reads "/path" as an absolute file URI.
        Uri? resolved;
        if (url.Contains("://", StringComparison.Ordinal))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out resolved))
            {
                return new InvalidTwiml(31920, "<Stream> url is not a valid URL.");
            }
        }
        else
        {
            // A relative url is resolved against the TwiML request's URL with the WebSocket scheme.
            var absolute = new Uri(requestUrl, url);
            resolved = new UriBuilder(absolute) { Scheme = absolute.Scheme == Uri.UriSchemeHttps ? "wss" : "ws", Port = absolute.IsDefaultPort ? -1 : absolute.Port }.Uri;
        }
        if (resolved.Scheme is not ("wss" or "ws"))
        {
            return new InvalidTwiml(31920, $"Stream url scheme {resolved.Scheme} is not wss.");
        }
        if (resolved.Query.Length > 0)
        {
            return new InvalidTwiml(31920, "Stream url includes query string parameters; use <Parameter>.");
        }
        var parameters = stream.Elements("Parameter")
            .Where(p => p.Attribute("name") is not null)
            .GroupBy(p => (string)p.Attribute("name")!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (string?)g.Last().Attribute("value") ?? "", StringComparer.Ordinal);
        return new ConnectStream(resolved, (string?)stream.Attribute("name"), parameters);
    }
}
