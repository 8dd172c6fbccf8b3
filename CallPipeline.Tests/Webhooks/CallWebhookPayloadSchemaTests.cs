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
