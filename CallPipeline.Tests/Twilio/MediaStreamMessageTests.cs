using System.Text;
using System.Text.Json;
using CallPipeline.Twilio.MediaStreams;

namespace CallPipeline.Tests.Twilio;

/// <summary>The messages of https://www.twilio.com/docs/voice/media-streams/websocket-messages, verbatim (see SOURCES.md).</summary>
public sealed class MediaStreamMessageTests
{
    [Fact]
    public void Start_is_read_with_its_string_sequence_number_tracks_format_and_custom_parameters()
    {
        var message = Parse("""
            {
              "event": "start",
              "sequenceNumber": "1",
              "start": {
                "accountSid": "ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
                "streamSid": "MZXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
                "callSid": "CAXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
                "tracks": [ "inbound" ],
                "mediaFormat": { "encoding": "audio/x-mulaw", "sampleRate": 8000, "channels": 1 },
                "customParameters": { "FirstName": "Jane", "LastName": "Doe", "RemoteParty": "Bob" }
              },
              "streamSid": "MZXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"
            }
            """);

        Assert.Equal(MediaStreamEvents.Start, message.Event);
        Assert.Equal(1, message.SequenceNumber);
        Assert.Equal("CAXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", message.Start!.CallSid);
        Assert.Equal("ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", message.Start.AccountSid);
        Assert.Equal(["inbound"], message.Start.Tracks!);
        Assert.Equal(new MediaFormat(MediaFormat.MuLaw, 8000, 1), message.Start.MediaFormat);
        Assert.Equal("Bob", message.Start.CustomParameters!["RemoteParty"]);
    }

    [Fact]
    public void Media_chunk_and_timestamp_arrive_as_strings_and_are_read_as_numbers()
    {
        var message = Parse("""
            { "event": "media", "sequenceNumber": "4",
              "media": { "track": "inbound", "chunk": "2", "timestamp": "5", "payload": "no+JhoaJjpzS" },
              "streamSid": "MZXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX" }
            """);

        Assert.Equal(new StreamMedia("inbound", 2, 5, "no+JhoaJjpzS"), message.Media);
        Assert.Equal(4, message.SequenceNumber);
    }

    [Fact]
    public void Stop_mark_and_dtmf_are_read()
    {
        var stop = Parse("""{ "event": "stop", "sequenceNumber": "5", "stop": { "accountSid": "AC1", "callSid": "CA1" }, "streamSid": "MZ1" }""");
        var mark = Parse("""{ "event": "mark", "sequenceNumber": "4", "streamSid": "MZ1", "mark": { "name": "my label" } }""");
        var dtmf = Parse("""{ "event": "dtmf", "streamSid": "MZ1", "sequenceNumber": "5", "dtmf": { "track": "inbound_track", "digit": "1" } }""");

        Assert.Equal("CA1", stop.Stop!.CallSid);
        Assert.Equal("my label", mark.Mark!.Name);
        Assert.Equal(new StreamDtmf("inbound_track", "1"), dtmf.Dtmf);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"no\":\"event\"}")]
    [InlineData("{\"event\":\"media\",\"media\":{\"chunk\":\"two\"}}")]
    [InlineData("")]
    public void Malformed_messages_are_null_not_exceptions(string text)
    {
        Assert.Null(MediaStreamSerializer.TryParse(Encoding.UTF8.GetBytes(text)));
    }

    [Fact]
    public void A_media_message_is_read_in_place_with_its_track_timestamp_and_decoded_payload()
    {
        var json = """
            { "event": "media", "sequenceNumber": "4",
              "media": { "track": "inbound", "chunk": "2", "timestamp": "5", "payload": "no+JhoaJjpzS" },
              "streamSid": "MZXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX" }
            """u8;
        var muLaw = new byte[16];

        Assert.True(MediaStreamSerializer.TryReadMedia(json, muLaw, out var frame));

        Assert.Equal(new MediaFrame(MediaTrack.Inbound, 5, 9), frame);
        Assert.Equal(Convert.FromBase64String("no+JhoaJjpzS"), muLaw[..9]);
    }

    [Theory]
    [InlineData("""{"event":"media","media":{"track":"outbound","timestamp":7,"payload":"/38="}}""", MediaTrack.Other, 7L)]
    [InlineData("""{"media":{"payload":"/38="},"event":"media"}""", MediaTrack.Unnamed, null)]
    public void Track_and_timestamp_are_read_however_they_are_given(string json, MediaTrack track, long? timestamp)
    {
        Assert.True(MediaStreamSerializer.TryReadMedia(Encoding.UTF8.GetBytes(json), new byte[4], out var frame));
        Assert.Equal(new MediaFrame(track, timestamp, 2), frame);
    }

    [Theory]
    [InlineData("""{"event":"mark","streamSid":"MZ1","mark":{"name":"media"}}""")]
    [InlineData("""{"event":"media","media":{"payload":"%%% not base64 %%%"}}""")]
    [InlineData("""{"event":"media","media":{"payload":"no\u002BJhoaJjpzS"}}""")]
    [InlineData("""{"event":"media","media":{"payload":"no+JhoaJjpzSno+JhoaJjpzS"}}""")]
    [InlineData("""{"event":"media","media":{"timestamp":"soon","payload":"/38="}}""")]
    [InlineData("""{"event":"media"}""")]
    [InlineData("""{"event":"media","media":{"payload":"/38="}""")]
    [InlineData("not json")]
    public void Anything_but_a_plain_media_message_that_fits_is_left_to_the_general_reader(string json)
    {
        Assert.False(MediaStreamSerializer.TryReadMedia(Encoding.UTF8.GetBytes(json), new byte[16], out _));
    }

    [Fact]
    public void Outbound_media_mark_and_clear_have_the_documented_shape()
    {
        var media = JsonDocument.Parse(MediaStreamSerializer.Media("MZ1", [0xFF, 0x7F])).RootElement;
        var mark = JsonDocument.Parse(MediaStreamSerializer.Mark("MZ1", "greeting")).RootElement;
        var clear = JsonDocument.Parse(MediaStreamSerializer.Clear("MZ1")).RootElement;

        Assert.Equal("""{"event":"media","streamSid":"MZ1","media":{"payload":"/38="}}""", media.GetRawText());
        Assert.Equal("""{"event":"mark","streamSid":"MZ1","mark":{"name":"greeting"}}""", mark.GetRawText());
        Assert.Equal("""{"event":"clear","streamSid":"MZ1"}""", clear.GetRawText());
    }

    private static MediaStreamMessage Parse(string json) =>
        MediaStreamSerializer.TryParse(Encoding.UTF8.GetBytes(json)) ?? throw new InvalidOperationException("Expected a message.");
}
