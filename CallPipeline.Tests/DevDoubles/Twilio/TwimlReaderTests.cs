extern alias devdoubles;

using devdoubles::CallPipeline.DevDoubles.Simulator.Twiml;

namespace CallPipeline.Tests.DevDoubles.Twilio;

/// <summary>How the simulator follows TwiML (twilio.md §2.1): the first verb that connects or ends the call decides.</summary>
public sealed class TwimlReaderTests
{
    private static readonly Uri RequestUrl = new("https://voice.example.com/twilio/voice/incoming");

    [Fact]
    public void Connect_Stream_gives_the_url_and_the_parameters_after_verbs_that_only_play()
    {
        const string twiml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Response>
              <Say>Hello</Say>
              <Connect>
                <Stream url="wss://example.com/audiostream">
                  <Parameter name="FirstName" value="Jane" />
                  <Parameter name="LastName" value="Doe" />
                </Stream>
              </Connect>
              <Say>Reached only after your server closes the WebSocket.</Say>
            </Response>
            """;

        var stream = Assert.IsType<ConnectStream>(TwimlReader.Read(twiml, RequestUrl));

        Assert.Equal("wss://example.com/audiostream", stream.Url.OriginalString);
        Assert.Equal(new Dictionary<string, string> { ["FirstName"] = "Jane", ["LastName"] = "Doe" }, stream.Parameters);
    }

    [Fact]
    public void A_relative_stream_url_is_resolved_against_the_request_with_the_websocket_scheme()
    {
        var stream = Assert.IsType<ConnectStream>(TwimlReader.Read("<Response><Connect><Stream url=\"/twilio/media/abc\"/></Connect></Response>", RequestUrl));

        Assert.Equal("wss://voice.example.com/twilio/media/abc", stream.Url.AbsoluteUri);
    }

    [Fact]
    public void A_stream_url_with_a_query_string_is_Twilio_error_31920()
    {
        var invalid = Assert.IsType<InvalidTwiml>(TwimlReader.Read("<Response><Connect><Stream url=\"wss://example.com/s?token=1\"/></Connect></Response>", RequestUrl));

        Assert.Equal(31920, invalid.ErrorCode);
    }

    [Theory]
    [InlineData("<Response><Reject/></Response>", "rejected")]
    [InlineData("<Response><Reject reason=\"busy\"/></Response>", "busy")]
    public void Reject_carries_its_reason(string twiml, string reason) =>
        Assert.Equal(reason, Assert.IsType<RejectCall>(TwimlReader.Read(twiml, RequestUrl)).Reason);

    [Theory]
    [InlineData("<Response><Hangup/></Response>")]
    [InlineData("<Response><Say>Bye</Say></Response>")]
    [InlineData("<Response/>")]
    public void Hangup_or_running_out_of_verbs_ends_the_call(string twiml) =>
        Assert.IsType<HangUpCall>(TwimlReader.Read(twiml, RequestUrl));

    [Theory]
    [InlineData("not xml")]
    [InlineData("<Html/>")]
    public void A_document_that_is_not_TwiML_is_Twilio_error_12100(string twiml) =>
        Assert.Equal(12100, Assert.IsType<InvalidTwiml>(TwimlReader.Read(twiml, RequestUrl)).ErrorCode);
}
