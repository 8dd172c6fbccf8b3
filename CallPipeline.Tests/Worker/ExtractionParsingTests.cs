extern alias worker;

using System.Text.Json;
using CallPipeline.Data.Entities;
using worker::CallPipeline.Worker.Ai;
using worker::CallPipeline.Worker.Transcription;

namespace CallPipeline.Tests.Worker;

/// <summary>What the worker accepts from the structured output, and the prompts it builds from the business.</summary>
public sealed class ExtractionParsingTests
{
    [Fact]
    public void A_valid_answer_is_trimmed_and_kept()
    {
        var details = CallDetailsExtractor.Parse("""{"city":" חיפה ","service":"אינסטלציה","customer_name":"דני","confidence":0.93}""");

        Assert.Equal(new ExtractedDetails("חיפה", "אינסטלציה", "דני", 0.93), details);
    }

    [Theory]
    [InlineData(1.7, 1.0)]
    [InlineData(-0.2, 0.0)]
    [InlineData(0.5004, 0.5)]
    public void The_confidence_is_clamped_into_zero_to_one(double given, double kept)
    {
        var details = CallDetailsExtractor.Parse($$"""{"city":"Haifa","service":"plumbing","customer_name":null,"confidence":{{given.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}""");

        Assert.Equal(kept, details.Confidence);
    }

    [Fact]
    public void Empty_and_null_like_values_become_null_and_without_city_or_service_the_confidence_is_zero()
    {
        var details = CallDetailsExtractor.Parse("""{"city":"","service":"null","customer_name":"  ","confidence":0.8}""");

        Assert.Equal(ExtractedDetails.Nothing, details);
    }

    [Fact]
    public void A_phone_number_is_not_accepted_as_a_customer_name()
    {
        Assert.Null(CallDetailsExtractor.Parse("""{"city":"Haifa","service":"plumbing","customer_name":"050-1234567","confidence":0.9}""").CustomerName);
    }

    [Fact]
    public void Values_longer_than_the_columns_are_cut_to_255_characters()
    {
        var details = CallDetailsExtractor.Parse($$"""{"city":"{{new string('a', 400)}}","service":"x","customer_name":null,"confidence":0.9}""");

        Assert.Equal(255, details.City!.Length);
    }

    [Fact]
    public void An_answer_that_is_not_a_json_object_is_rejected()
    {
        Assert.ThrowsAny<JsonException>(() => CallDetailsExtractor.Parse("""["Haifa"]"""));
        Assert.ThrowsAny<JsonException>(() => CallDetailsExtractor.Parse("Haifa, plumbing"));
    }

    [Fact]
    public void The_schema_is_strict_with_every_property_required_and_no_others()
    {
        using var schema = JsonDocument.Parse(CallDetailsExtractor.Schema.ToString());
        var root = schema.RootElement;

        Assert.False(root.GetProperty("additionalProperties").GetBoolean());
        Assert.Equal(
            root.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order(),
            root.GetProperty("required").EnumerateArray().Select(r => r.GetString()!).Order());
        Assert.Equal(["city", "confidence", "customer_name", "service"], root.GetProperty("required").EnumerateArray().Select(r => r.GetString()!).Order());
    }

    [Fact]
    public void The_transcription_prompt_is_the_business_name_and_its_distinct_vocabulary_capped_for_whisper()
    {
        var business = new Business { Name = "Haifa Plumbing", PhoneE164 = "+97240000000", Vocabulary = "נזילה, דוד שמש\nנזילה; קריות" };

        Assert.Equal("Haifa Plumbing: נזילה, דוד שמש, קריות", TranscriptionPrompt.For(business));
        Assert.Null(TranscriptionPrompt.For(new Business { Name = "X", PhoneE164 = "+97240000000" }));
        business.Vocabulary = string.Join(",", Enumerable.Range(0, 500).Select(i => $"word{i}"));
        Assert.Equal(TranscriptionPrompt.MaxLength, TranscriptionPrompt.For(business)!.Length);
    }

    [Fact]
    public void The_summary_instructions_carry_the_business_name_kind_description_and_language()
    {
        var business = new Business { Name = "Galilee Gardening", Kind = "gardening", Description = "Gardens in the north", Language = "he", PhoneE164 = "+97240000000" };

        var instructions = CallSummarizer.Instructions(business, new CallLog { CallSid = "CA1", Direction = CallDirection.Outbound });

        Assert.Contains("\"Galilee Gardening\"", instructions);
        Assert.Contains("gardening", instructions);
        Assert.Contains("Gardens in the north", instructions);
        Assert.Contains("\"he\"", instructions);
        Assert.Contains("outbound", instructions);
    }
}
