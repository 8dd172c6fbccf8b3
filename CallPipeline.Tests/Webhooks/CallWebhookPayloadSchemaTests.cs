using System.Text.Json;
using System.Text.Json.Nodes;
using CallPipeline.Data.Entities;
using CallPipeline.Tests.Webhooks.Support;
using CallPipeline.Webhooks;
using CallPipeline.Webhooks.Payloads;
using Json.Schema;

namespace CallPipeline.Tests.Webhooks;

/// <summary>Payloads as the dispatcher sends them must satisfy the published schema, Schemas/call-webhook.v1.schema.json.</summary>
public sealed class CallWebhookPayloadSchemaTests
{
    private static readonly JsonSchema Schema = LoadSchema();

    [Fact]
    public void A_processed_call_payload_matches_the_v1_schema()
    {
        var json = Serialize(WebhookTestData.NewProcessedCall(7), CallWebhooks.CallCompleted);

        AssertValid(json);
    }

    [Fact]
    public void A_missed_call_payload_with_nothing_recorded_matches_the_v1_schema()
    {
        var call = new CallLog
        {
            CallSid = "CA" + new string('b', 32),
            BusinessId = 7,
            Direction = CallDirection.Outbound,
            FromNumber = "+97235550100",
            ToNumber = "+972501234567",
            CallStatus = "no-answer",
            PipelineStatus = PipelineStatus.Missed,
            StartedAt = DateTimeOffset.UtcNow,
        };

        var json = Serialize(call, CallWebhooks.CallMissed);

        AssertValid(json);
    }

    [Fact]
    public void The_payload_is_snake_case_with_a_version_and_explicit_nulls()
    {
        var call = WebhookTestData.NewProcessedCall(7);
        call.CustomerName = null;

        var payload = JsonNode.Parse(Serialize(call, CallWebhooks.CallCompleted))!.AsObject();

        Assert.Equal(1, payload["version"]!.GetValue<int>());
        Assert.Equal("call.completed", payload["event_type"]!.GetValue<string>());
        Assert.Equal(call.CallSid, payload["call_sid"]!.GetValue<string>());
        Assert.Equal("inbound", payload["direction"]!.GetValue<string>());
        Assert.Equal("processed", payload["pipeline_status"]!.GetValue<string>());
        Assert.Equal("recording", payload["transcript_source"]!.GetValue<string>());
        Assert.Equal("plumbing", payload["service"]!.GetValue<string>());
        Assert.Equal(95, payload["duration_seconds"]!.GetValue<int>());
        Assert.True(payload.ContainsKey("customer_name"));
        Assert.Null(payload["customer_name"]);
    }

    [Fact]
    public void The_realtime_transcript_is_sent_as_the_fallback_and_labelled_so()
    {
        var call = WebhookTestData.NewProcessedCall(7);
        call.FinalTranscript = null;
        call.TranscriptSource = null;
        call.RealtimeTranscript = "לקוח: צריך אינסטלטור";

        var payload = JsonNode.Parse(Serialize(call, CallWebhooks.CallCompleted))!.AsObject();

        Assert.Equal("לקוח: צריך אינסטלטור", payload["transcript"]!.GetValue<string>());
        Assert.Equal("realtime", payload["transcript_source"]!.GetValue<string>());
        Assert.Null(payload["transcript_turns"]);
        AssertValid(payload.ToJsonString());
    }

    [Fact]
    public void A_two_channel_call_sends_its_turns_and_speaker_transcript_as_new_fields_beside_the_transcript()
    {
        var call = WebhookTestData.NewProcessedCall(7);
        call.TranscriptTurns = [new TranscriptTurn(SpeakerRole.Line, 0.52, 2.1, "שלום, במה אפשר לעזור?"), new TranscriptTurn(SpeakerRole.Caller, 2.6, 5.25, "צריך אינסטלטור")];
        call.SpeakerTranscript = "נציג: שלום, במה אפשר לעזור?\nלקוח: צריך אינסטלטור";

        var json = Serialize(call, CallWebhooks.CallCompleted);
        var payload = JsonNode.Parse(json)!.AsObject();

        AssertValid(json);
        Assert.Equal(call.FinalTranscript, payload["transcript"]!.GetValue<string>());
        Assert.Equal(call.SpeakerTranscript, payload["speaker_transcript"]!.GetValue<string>());
        var turns = payload["transcript_turns"]!.AsArray();
        Assert.Equal(["line", "caller"], turns.Select(t => t!["role"]!.GetValue<string>()));
        Assert.Equal((2.6, 5.25, "צריך אינסטלטור"), (turns[1]!["start"]!.GetValue<double>(), turns[1]!["end"]!.GetValue<double>(), turns[1]!["text"]!.GetValue<string>()));
        Assert.Contains("\"text\":\"צריך אינסטלטור\"", json);
    }

    [Fact]
    public void A_payload_written_before_the_turns_existed_still_matches_the_v1_schema()
    {
        var payload = JsonNode.Parse(Serialize(WebhookTestData.NewProcessedCall(7), CallWebhooks.CallCompleted))!.AsObject();
        payload.Remove("transcript_turns");
        payload.Remove("speaker_transcript");

        AssertValid(payload.ToJsonString());
    }

    [Fact]
    public void The_schema_rejects_a_payload_missing_a_field_or_with_an_unknown_event()
    {
        var payload = JsonNode.Parse(Serialize(WebhookTestData.NewProcessedCall(7), CallWebhooks.CallCompleted))!.AsObject();
        var missing = payload.DeepClone().AsObject();
        missing.Remove("call_sid");
        var unknownEvent = payload.DeepClone().AsObject();
        unknownEvent["event_type"] = "call.exploded";

        Assert.False(Evaluate(missing.ToJsonString()).IsValid);
        Assert.False(Evaluate(unknownEvent.ToJsonString()).IsValid);
    }

    private static string Serialize(CallLog call, string eventType) =>
        JsonSerializer.Serialize(
            CallWebhookPayloadFactory.Create(call, call.BusinessId!.Value, eventType, DateTimeOffset.UtcNow),
            CallWebhookPayloadJsonContext.Wire.CallWebhookPayload);

    internal static void AssertValid(string json)
    {
        var results = Evaluate(json);
        Assert.True(results.IsValid, "Payload does not match the schema: " + string.Join("; ",
            (results.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))) + "\n" + json);
    }

    private static EvaluationResults Evaluate(string json) =>
        Schema.Evaluate(JsonNode.Parse(json), new EvaluationOptions { OutputFormat = OutputFormat.List });

    private static JsonSchema LoadSchema()
    {
        using var stream = typeof(CallWebhooks).Assembly.GetManifestResourceStream("CallPipeline.Webhooks.Schemas.call-webhook.v1.schema.json")
            ?? throw new InvalidOperationException("The schema is not embedded in CallPipeline.Webhooks.");
        using var reader = new StreamReader(stream);
        return JsonSchema.FromText(reader.ReadToEnd());
    }
}
