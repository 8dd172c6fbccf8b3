extern alias devdoubles;

using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CallPipeline.Tests.DevDoubles.Twilio.Support;
using devdoubles::CallPipeline.DevDoubles.Speech;
using Microsoft.Extensions.DependencyInjection;

namespace CallPipeline.Tests.DevDoubles.Twilio;

/// <summary>
/// Scripted conversations in the call simulator: each side's lines go out at their times, the two channels of the
/// recording hold what each side actually sent, and the OpenAI double learns each utterance's channel and times.
/// </summary>
public sealed class ConversationTests
{
    private const string Greeting = "שלום, במה אפשר לעזור?";
    private const string Request = "אני צריך אינסטלטור בחיפה";
    private const string Answer = "בסדר";

    /// <summary>
    /// When each line is spoken, in seconds of call time. The first comes late enough for the fake gateway's recording
    /// and greeting tone to be under way first: at ten times real speed, 1.5 s of call time was 0.15 s, less than a loaded
    /// machine could take.
    /// </summary>
    private static readonly double[] LineTimes = [21.5, 22.5, 26.0];

    /// <summary>The caller starts while the line is still speaking: overlapping speech, one side on each channel.</summary>
    private static readonly object[] Script =
    [
        new { speaker = "line", at = LineTimes[0], text = Greeting },
        new { speaker = "caller", at = LineTimes[1], text = Request },
        new { speaker = "line", at = LineTimes[2], text = Answer },
    ];

    [Fact]
    public async Task Each_side_speaks_at_its_time_on_its_own_channel_and_the_utterances_are_registered_with_their_times()
    {
        await using var twilio = await TwilioDoubleServer.StartAsync();

        var callSid = await twilio.PlaceCallAsync(new { from = "+972541234567", to = "+97235550100", direction = "inbound", conversation = Script });
        var call = await twilio.EndedCallAsync(callSid);

        var recordingSid = call.GetProperty("recordingSid").GetString()!;
        var offset = call.GetProperty("recordingStartsAtSeconds").GetDouble();
        var spoken = call.GetProperty("spoken").EnumerateArray()
            .Select(line => (Speaker: line.GetProperty("speaker").GetString(), Start: line.GetProperty("start").GetDouble(), End: line.GetProperty("end").GetDouble()))
            .OrderBy(line => line.Start)
            .ToList();
        Assert.Equal(["line", "caller", "line"], spoken.Select(line => line.Speaker));
        Assert.Equal(3, call.GetProperty("conversationLines").GetInt32());
        // Lines go out on the 20 ms frame they are due.
        Assert.All(spoken.Zip(LineTimes), pair => Assert.InRange(pair.First.Start + offset, pair.Second, pair.Second + 0.021));
        Assert.DoesNotContain(Request, call.GetRawText());

        var registry = twilio.Services.GetRequiredService<SpokenTextRegistry>();
        Assert.Equal($"{Greeting} {Request} {Answer}", registry.Find(recordingSid));
        Assert.Equal([(2, Greeting), (1, Request), (2, Answer)], registry.LinesOf(recordingSid).OrderBy(l => l.Start).Select(l => (l.Channel, l.Text)));

        // Channel 1 is silent until the caller speaks; channel 2 holds the gateway's greeting tone, then the line's words.
        var completed = await twilio.Gateway.CompletedRecordingCallbackAsync();
        using var media = await twilio.Authorized.GetAsync(completed["RecordingUrl"] + ".wav?RequestedChannels=2");
        Assert.Equal(HttpStatusCode.OK, media.StatusCode);
        var wav = await media.Content.ReadAsByteArrayAsync();
        var caller = spoken[1];
        Assert.Equal(0, Peak(wav, channel: 0, 0, caller.Start - 0.02));
        Assert.True(Peak(wav, channel: 0, caller.Start, caller.Start + 0.5) > 1000, "the caller speaks on channel 1");
        Assert.InRange(Peak(wav, channel: 1, 0, spoken[0].Start - 0.02), 7000, 9000);
        Assert.True(Peak(wav, channel: 1, spoken[0].Start, spoken[0].Start + 0.5) > 1000, "the line speaks on channel 2");
        Assert.True(Peak(wav, channel: 1, caller.Start, caller.Start + 0.3) > 1000, "the line is still speaking when the caller starts");
    }

    [Fact]
    public async Task A_conversation_with_text_an_unknown_speaker_or_a_time_outside_the_call_is_400()
    {
        await using var twilio = await TwilioDoubleServer.StartAsync();

        foreach (var request in new object[]
        {
            new { from = "+972541234567", to = "+97235550100", text = "שלום", conversation = Script },
            new { from = "+972541234567", to = "+97235550100", conversation = new object[] { new { speaker = "agent", at = 1.0, text = "שלום" } } },
            new { from = "+972541234567", to = "+97235550100", conversation = new object[] { new { speaker = "caller", at = -1.0, text = "שלום" } } },
            new { from = "+972541234567", to = "+97235550100", conversation = new object[] { new { speaker = "caller", at = 1.0, text = " " } } },
            new { from = "+972541234567", to = "+97235550100", conversation = Array.Empty<object>() },
        })
        {
            using var response = await twilio.Client.PostAsJsonAsync("/simulator/calls", request);

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("conversation", out _));
        }
    }

    /// <summary>The largest absolute sample of one channel (0 or 1) of a 16-bit stereo 8 kHz WAV between two times.</summary>
    private static int Peak(byte[] wav, int channel, double from, double to)
    {
        var peak = 0;
        var first = Math.Max(0, (int)(from * 8000));
        var last = Math.Min((wav.Length - 44) / 4, (int)(to * 8000));
        for (var frame = first; frame < last; frame++)
        {
            peak = Math.Max(peak, Math.Abs((int)BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(44 + (frame * 4) + (channel * 2)))));
        }
        return peak;
    }
}
