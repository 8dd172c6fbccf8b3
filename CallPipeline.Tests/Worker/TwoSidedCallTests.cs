using System.Globalization;
using System.Text.Json.Nodes;
using CallPipeline.Data.Entities;
using CallPipeline.Tests.Infrastructure;
using CallPipeline.Tests.Voice.Support;
using CallPipeline.Tests.Worker.Support;
using Xunit.Abstractions;

namespace CallPipeline.Tests.Worker;

/// <summary>
/// A scripted two-sided call end to end, without the AppHost: the call simulator speaks both sides (espeak-ng) at
/// real-time pace into the real voice gateway, the Twilio double records the two channels, and the real worker
/// transcribes them turn by turn through the OpenAI double. The turns must match the script in order, speaker and
/// words, and start within 0.5 s of where the script placed them.
/// </summary>
[Trait("Category", "Infrastructure")]
public sealed class TwoSidedCallTests(InfrastructureFixture infrastructure, ITestOutputHelper output) : IClassFixture<InfrastructureFixture>
{
    private const double MaxStartError = 0.5;

    /// <summary>
    /// The line greets, the caller asks for a plumber in Haifa, the line confirms (naming Tel Aviv, its own city), the
    /// caller thanks. The greeting leaves more than a turn pause after the gateway's 0.5 s chime, which plays once the
    /// recording has started (its REST start can take a second on a busy machine): closer, the chime would open the
    /// line's first turn.
    /// </summary>
    private static readonly (string Speaker, double At, string Text)[] Script =
    [
        ("line", 3.5, "שלום, הגעתם לאינסטלציה דמו בתל אביב. במה אפשר לעזור?"),
        ("caller", 8.0, "שלום, קוראים לי דני. יש לי נזילה בחיפה ואני צריך אינסטלטור מחר בבוקר."),
        ("line", 15.0, "בשמחה, נשלח אינסטלטור מתל אביב לחיפה מחר בבוקר."),
        ("caller", 20.5, "תודה רבה."),
    ];

    [Fact]
    public async Task A_scripted_two_sided_call_comes_back_as_the_scripts_turns_within_half_a_second()
    {
        await using var graph = await SimulatedGraph.StartAsync(infrastructure, speed: 1);
        await VoiceTestData.AddBusinessAsync(graph.Voice.Database, "+97235550100", webhookUrl: "https://hooks.example.com/calls");
        await using var worker = WorkerHost.Start(graph.WorkerSettings(infrastructure, "worker-two-sided"), "worker-two-sided");

        var callSid = await graph.PlaceCallAsync(new
        {
            from = "+972541234567",
            to = "+97235550100",
            direction = "inbound",
            conversation = Script.Select(line => new { speaker = line.Speaker, at = line.At, text = line.Text }),
        });
        var call = await graph.WaitForCallAsync(callSid, c => c.PipelineStatus is PipelineStatus.Processed or PipelineStatus.Failed, TimeSpan.FromMinutes(2));
        var simulated = JsonNode.Parse((await graph.SimulatedCallAsync(callSid)).GetRawText())!;

        Assert.True(call.PipelineStatus == PipelineStatus.Processed, call.ErrorReason);
        var recordingStartsAt = simulated["recordingStartsAtSeconds"]!.GetValue<double>();
        var turns = call.TranscriptTurns!;
        Assert.Equal(Script.Select(line => line.Speaker), turns.Select(turn => turn.Role.ToString().ToLowerInvariant()));
        Assert.Equal(Script.Select(line => line.Text), turns.Select(turn => turn.Text));
        var errors = turns.Select((turn, i) => turn.Start - (Script[i].At - recordingStartsAt)).ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"recording starts {recordingStartsAt:0.000} s into the call"));
        for (var i = 0; i < turns.Count; i++)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{turns[i].Role,-6} script {Script[i].At - recordingStartsAt,7:0.000} s  turn {turns[i].Start,7:0.000}-{turns[i].End,7:0.000} s  start error {errors[i] * 1000,5:0} ms"));
        }
        Assert.All(errors, error => Assert.InRange(error, -MaxStartError, MaxStartError));

        // Who said what reaches the summary and the extraction: the caller's city, not the line's.
        Assert.Equal("חיפה", call.ExtractedCity);
        Assert.Equal("אינסטלטור", call.ExtractedService);
        Assert.Equal("דני", call.CustomerName);
        Assert.Equal(0.9, call.ExtractionConfidence);
        Assert.StartsWith("נציג: שלום, הגעתם", call.SpeakerTranscript);
        var payload = JsonNode.Parse(Assert.Single(call.WebhookDeliveries).Payload)!;
        Assert.Equal(4, payload["transcript_turns"]!.AsArray().Count);
    }
}
