extern alias worker;

using CallPipeline.Data.Entities;
using worker::CallPipeline.Worker.Ai;
using worker::CallPipeline.Worker.Audio;
using worker::CallPipeline.Worker.Pipeline;
using worker::CallPipeline.Worker.Transcription;

namespace CallPipeline.Tests.Worker;

/// <summary>How a two-channel recording becomes turns: speech between silences, turns per speaker, labels, upload names, caller coverage.</summary>
public sealed class SpeakerTurnTests
{
    [Fact]
    public void Speech_is_what_lies_between_silences_and_clicks_shorter_than_the_minimum_are_dropped()
    {
        (double, double)[] silences = [(0, 1.2), (3.0, 3.1), (3.15, 5.0), (6.0, double.PositiveInfinity)];

        var speech = SpeechSpans.Between(silences, 8, minSpeechSeconds: 0.2);

        Assert.Equal([(1.2, 3.0), (5.0, 6.0)], speech);
    }

    [Fact]
    public void A_channel_without_silences_is_speech_throughout_and_a_silent_channel_has_none()
    {
        Assert.Equal([(0.0, 4.0)], SpeechSpans.Between([], 4, 0.2));
        Assert.Empty(SpeechSpans.Between([(0, 4.0)], 4, 0.2));
    }

    [Fact]
    public void A_speakers_short_pause_stays_in_the_turn_and_a_long_pause_ends_it()
    {
        var turns = TurnPlanner.Plan(callerSpeech: [(1.0, 2.0), (2.5, 3.0), (4.5, 5.0)], lineSpeech: [], turnPauseSeconds: 1);

        Assert.Equal([new PlannedTurn(SpeakerRole.Caller, 1.0, 3.0), new PlannedTurn(SpeakerRole.Caller, 4.5, 5.0)], turns);
    }

    [Fact]
    public void The_other_speaker_talking_in_a_pause_ends_the_turn_so_the_order_of_who_spoke_is_kept()
    {
        var turns = TurnPlanner.Plan(callerSpeech: [(0.5, 2.0), (2.8, 4.0)], lineSpeech: [(2.2, 2.6)], turnPauseSeconds: 1);

        Assert.Equal(
            [new PlannedTurn(SpeakerRole.Caller, 0.5, 2.0), new PlannedTurn(SpeakerRole.Line, 2.2, 2.6), new PlannedTurn(SpeakerRole.Caller, 2.8, 4.0)],
            turns);
    }

    [Fact]
    public void Overlapping_speech_is_a_turn_on_each_side_ordered_by_start()
    {
        var turns = TurnPlanner.Plan(callerSpeech: [(1.0, 4.0)], lineSpeech: [(0.2, 1.5), (2.0, 3.0)], turnPauseSeconds: 1);

        Assert.Equal(
            [new PlannedTurn(SpeakerRole.Line, 0.2, 1.5), new PlannedTurn(SpeakerRole.Caller, 1.0, 4.0), new PlannedTurn(SpeakerRole.Line, 2.0, 3.0)],
            turns);
    }

    [Fact]
    public void The_speaker_transcript_labels_each_turn_in_the_businesss_language()
    {
        TranscriptTurn[] turns =
        [
            new(SpeakerRole.Line, 0.5, 2.0, "שלום, במה אפשר לעזור?"),
            new(SpeakerRole.Caller, 2.5, 5.0, "אני צריך אינסטלטור בחיפה"),
        ];

        Assert.Equal("נציג: שלום, במה אפשר לעזור?\nלקוח: אני צריך אינסטלטור בחיפה", SpeakerTranscript.Render(turns, "he"));
        Assert.Equal("Agent: שלום, במה אפשר לעזור?\nCaller: אני צריך אינסטלטור בחיפה", SpeakerTranscript.Render(turns, "en"));
        Assert.Equal("one channel", SpeakerTranscript.Render([new TranscriptTurn(SpeakerRole.Unknown, 0, 3, "one channel")], "he"));
    }

    [Fact]
    public void Upload_names_carry_the_recording_sid_and_for_a_turn_its_channel_and_offset_in_milliseconds()
    {
        const string sid = "RE0123456789abcdef0123456789abcdef";

        Assert.Equal($"{sid}.wav", UploadNames.Whole(sid));
        Assert.Equal($"{sid}.mp3", UploadNames.Whole(sid, ".mp3"));
        Assert.Equal($"{sid}.part2.wav", UploadNames.Part(sid, 2));
        Assert.Equal($"{sid}.ch1.at12340.wav", UploadNames.Turn(sid, 1, 12.3404));
    }

    [Fact]
    public void The_share_of_caller_speech_transcribed_is_zero_without_caller_words_and_partial_when_some_were_lost()
    {
        var call = new CallLog
        {
            CallSid = "CA" + new string('a', 32),
            CallerSpeechSeconds = 4,
            TranscriptTurns = [new TranscriptTurn(SpeakerRole.Line, 0, 2, "שלום"), new TranscriptTurn(SpeakerRole.Caller, 3, 4, "כן")],
        };

        Assert.Equal(0.25, ExtractStep.CallerCoverage(call), 3);
        call.TranscriptTurns = [new TranscriptTurn(SpeakerRole.Line, 0, 2, "שלום")];
        Assert.Equal(0, ExtractStep.CallerCoverage(call));
    }

    [Fact]
    public void The_prompts_explain_the_labels_only_when_the_transcript_has_speakers()
    {
        var business = new Business { Name = "Demo Plumbing", PhoneE164 = "+97235550100", Language = "he" };
        var call = new CallLog { CallSid = "CA" + new string('b', 32), FinalTranscript = "שלום" };

        Assert.DoesNotContain("לקוח", CallSummarizer.Instructions(business, call));

        call.TranscriptTurns = [new TranscriptTurn(SpeakerRole.Caller, 1, 2, "שלום")];
        call.SpeakerTranscript = "לקוח: שלום";
        var instructions = CallSummarizer.Instructions(business, call);
        Assert.Contains("\"לקוח:\" is the customer", instructions);
        Assert.Contains("\"נציג:\" is the business's own line", instructions);
    }
}
