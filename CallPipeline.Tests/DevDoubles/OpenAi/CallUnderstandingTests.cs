extern alias devdoubles;

using devdoubles::CallPipeline.DevDoubles.OpenAi.Audio;
using devdoubles::CallPipeline.DevDoubles.OpenAi.Chat;

namespace CallPipeline.Tests.DevDoubles.OpenAi;

/// <summary>The double's small "understanding": Hebrew word boundaries, names, the business of a system prompt, upload names.</summary>
public sealed class CallUnderstandingTests
{
    [Theory]
    [InlineData("אני גר בתל אביב", "תל אביב")]
    [InlineData("נסעתי ולחיפה אחר כך", "חיפה")]
    [InlineData("I live in Tel Aviv.", "Tel Aviv")]
    [InlineData("תל אביב וגם ירושלים", "תל אביב")]
    public void The_first_city_mentioned_is_found_with_hebrew_prefix_letters(string text, string city) =>
        Assert.Equal(city, CallFacts.From(text).City);

    [Theory]
    [InlineData("שלחתי שאילתה לשרת")]
    [InlineData("the rishonim were here")]
    [InlineData("")]
    public void A_city_name_inside_another_word_is_not_a_city(string text) =>
        Assert.Null(CallFacts.From(text).City);

    [Theory]
    [InlineData("שלום, קוראים לי דני.", "דני")]
    [InlineData("שמי מיכל ואני צריכה חשמלאי", "מיכל")]
    [InlineData("Hello, my name is Dana.", "Dana")]
    [InlineData("אני צריך אינסטלטור", null)]
    public void The_callers_name_follows_how_callers_introduce_themselves(string text, string? name) =>
        Assert.Equal(name, CallFacts.From(text).CustomerName);

    [Theory]
    [InlineData("Business name: Cohen Plumbing\nKind: plumber", "Cohen Plumbing")]
    [InlineData("שם העסק: אינסטלציה כהן\nשפה: עברית", "אינסטלציה כהן")]
    [InlineData("You answer calls for \"Levi Electric\".", "Levi Electric")]
    [InlineData("You are the receptionist for Dan Locksmiths. Be brief.", "Dan Locksmiths")]
    [InlineData("You summarise phone calls for the business \"Cohen Plumbing\".\nBusiness kind: plumber.", "Cohen Plumbing")]
    [InlineData("Extract from a phone call of the business \"אינסטלציה כהן\" (plumber) the customer's city.", "אינסטלציה כהן")]
    [InlineData("Summarise the call.", null)]
    public void The_business_is_read_from_the_system_prompt(string systemText, string? business) =>
        Assert.Equal(business, BusinessContext.NameIn(systemText));

    [Theory]
    [InlineData("RE0123456789abcdef0123456789abcdef.wav", "RE0123456789abcdef0123456789abcdef", null)]
    [InlineData("RE0123456789abcdef0123456789abcdef.part3.wav", "RE0123456789abcdef0123456789abcdef", 3)]
    [InlineData("recording.wav", null, null)]
    public void The_upload_name_gives_the_recording_sid_and_part(string fileName, string? sid, int? part) =>
        Assert.Equal(new RecordingFileName(sid, part), RecordingFileName.Parse(fileName));

    [Fact]
    public void A_channel_upload_name_gives_the_channel_and_where_it_starts()
    {
        Assert.Equal(
            new RecordingFileName("RE0123456789abcdef0123456789abcdef", null, 2, 12.345),
            RecordingFileName.Parse("RE0123456789abcdef0123456789abcdef.ch2.at12345.wav"));
    }

    [Theory]
    [InlineData("נציג: שלום, הגעתם לאינסטלציה דמו בתל אביב. קוראים לי רונית.\nלקוח: יש לי נזילה בחיפה, שמי דני.", "חיפה", "דני")]
    [InlineData("Agent: Welcome to Tel Aviv Plumbing.\nCaller: I am in Haifa, my name is Dana.", "Haifa", "Dana")]
    [InlineData("נציג: שלום, הגעתם לאינסטלציה בתל אביב.", null, null)]
    public void A_speaker_labelled_transcript_is_understood_from_the_callers_lines_only(string transcript, string? city, string? name)
    {
        var facts = CallFacts.From(transcript);

        Assert.Equal((city, name), (facts.City, facts.CustomerName));
    }
}
