using System.Xml.Linq;
using CallPipeline.Twilio.TwiML;

namespace CallPipeline.Tests.Twilio;

public sealed class CallAnswerTwimlTests
{
    [Fact]
    public void Connect_stream_has_the_documented_shape_with_parameters_in_order()
    {
        var twiml = CallAnswerTwiml.ConnectStream("wss://voice.example.com/twilio/media/abc", [new("CallSid", "CA1"), new("BusinessId", "7")]);

        var response = XDocument.Parse(twiml).Root!;
        Assert.Equal("Response", response.Name.LocalName);
        var stream = response.Element("Connect")!.Element("Stream")!;
        Assert.Equal("wss://voice.example.com/twilio/media/abc", stream.Attribute("url")!.Value);
        Assert.Equal(["CallSid=CA1", "BusinessId=7"], stream.Elements("Parameter").Select(p => $"{p.Attribute("name")!.Value}={p.Attribute("value")!.Value}"));
        Assert.Equal(["url"], stream.Attributes().Select(a => a.Name.LocalName));
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"utf-8\"?><Response><Connect><Stream url=", twiml, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Parameter_values_are_xml_escaped()
    {
        const string hostile = "\"/><Hangup/><x a=\"&'<>";

        var twiml = CallAnswerTwiml.ConnectStream("wss://voice.example.com/twilio/media/abc", [new("Name", hostile)]);

        var stream = XDocument.Parse(twiml).Root!.Element("Connect")!.Element("Stream")!;
        Assert.Equal(hostile, stream.Element("Parameter")!.Attribute("value")!.Value);
        Assert.Null(XDocument.Parse(twiml).Root!.Element("Hangup"));
    }

    [Theory]
    [InlineData("https://voice.example.com/twilio/media/abc")]
    [InlineData("wss://voice.example.com/twilio/media/abc?token=1")]
    public void Stream_urls_must_be_websocket_urls_without_a_query(string url)
    {
        Assert.Throws<ArgumentException>(() => CallAnswerTwiml.ConnectStream(url, []));
    }

    [Fact]
    public void Polite_rejection_says_the_escaped_message_then_hangs_up()
    {
        var twiml = CallAnswerTwiml.SayAndHangUp("Sorry <we> & \"you\"", "en-US");

        var elements = XDocument.Parse(twiml).Root!.Elements().ToList();
        Assert.Equal(["Say", "Hangup"], elements.Select(e => e.Name.LocalName));
        Assert.Equal("Sorry <we> & \"you\"", elements[0].Value);
        Assert.Equal("en-US", elements[0].Attribute("language")!.Value);
        Assert.Contains("&lt;we&gt; &amp;", twiml, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rejection_without_a_language_leaves_the_say_verb_to_twilios_default()
    {
        var say = XDocument.Parse(CallAnswerTwiml.SayAndHangUp("Sorry")).Root!.Element("Say")!;

        Assert.Empty(say.Attributes());
        Assert.Equal("Sorry", say.Value);
    }
}
