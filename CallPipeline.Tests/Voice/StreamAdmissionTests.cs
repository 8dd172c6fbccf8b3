extern alias voice;

using CallPipeline.Data.Entities;
using CallPipeline.Tests.Voice.Support;
using CallPipeline.Twilio.MediaStreams;
using CallPipeline.Twilio.Rest;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using voice::CallPipeline.Voice;
using voice::CallPipeline.Voice.Calls;
using voice::CallPipeline.Voice.MediaStreams;

namespace CallPipeline.Tests.Voice;

/// <summary>The admission rules of a media stream's <c>start</c>, without a socket or a database.</summary>
public sealed class StreamAdmissionTests
{
    private static readonly IOptions<TwilioOptions> Twilio =
        Options.Create(new TwilioOptions { AccountSid = VoiceTestData.AccountSid, AuthToken = VoiceTestData.AuthToken });

    private static readonly MediaStreamTokens Tokens = new(Twilio);

    private static readonly StreamAdmission Admission = new(
        Tokens,
        new CallCapacity(Options.Create(new VoiceOptions()), TimeProvider.System),
        new ServiceCollection().BuildServiceProvider().GetRequiredService<IServiceScopeFactory>(),
        Twilio);

    [Fact]
    public void A_start_with_its_calls_token_and_our_account_may_claim_the_call()
    {
        var callSid = VoiceTestData.NewCallSid();

        Assert.Null(Admission.RefuseStart(Tokens.Create(callSid), Start(callSid, VoiceTestData.NewStreamSid())));
    }

    [Fact]
    public void A_start_without_its_own_streamSid_takes_the_messages()
    {
        var callSid = VoiceTestData.NewCallSid();
        var message = new MediaStreamMessage(MediaStreamEvents.Start, StreamSid: VoiceTestData.NewStreamSid(),
            Start: new StreamStart(VoiceTestData.AccountSid, StreamSid: null, callSid));

        Assert.Null(Admission.RefuseStart(Tokens.Create(callSid), message));
    }

    [Fact]
    public void A_token_issued_for_another_call_is_refused()
    {
        var callSid = VoiceTestData.NewCallSid();

        Assert.Equal("the stream token was not issued for this call",
            Admission.RefuseStart(Tokens.Create(VoiceTestData.NewCallSid()), Start(callSid, VoiceTestData.NewStreamSid())));
    }

    [Fact]
    public void A_start_from_another_twilio_account_is_refused()
    {
        var callSid = VoiceTestData.NewCallSid();

        Assert.Equal("the stream belongs to another Twilio account",
            Admission.RefuseStart(Tokens.Create(callSid), Start(callSid, VoiceTestData.NewStreamSid(), "AC" + new string('f', 32))));
    }

    [Theory]
    [InlineData(null, "MZ0123456789abcdef0123456789abcdef")]
    [InlineData("CA0123456789abcdef0123456789abcdef", null)]
    [InlineData("CA0123456789abcdef/123456789abcdef", "MZ0123456789abcdef0123456789abcdef")]
    [InlineData("CA0123456789abcdef0123456789abcdef", "MZ0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void A_start_without_a_valid_callSid_or_streamSid_is_refused_before_its_token_is_checked(string? callSid, string? streamSid)
    {
        Assert.Equal("start has no valid callSid or streamSid",
            Admission.RefuseStart(Tokens.Create(callSid ?? ""), Start(callSid, streamSid)));
    }

    [Fact]
    public void A_call_that_could_not_be_claimed_is_refused_with_what_stands_in_the_way()
    {
        Assert.Equal("no such call", StreamAdmission.RefusalFor(null));
        Assert.Equal("the call was not answered by this gateway", StreamAdmission.RefusalFor(Call(c => c.BusinessId = null)));
        Assert.Equal("the call was not answered by this gateway", StreamAdmission.RefusalFor(Call(c => c.PipelineStatus = PipelineStatus.Rejected)));
        Assert.Equal("the call's stream already ended (token reused)", StreamAdmission.RefusalFor(Call(c => c.StreamFinalizedAt = DateTimeOffset.UtcNow)));
        Assert.Equal("another stream is attached to the call", StreamAdmission.RefusalFor(Call(c => c.MediaStreamSid = VoiceTestData.NewStreamSid())));
    }

    private static MediaStreamMessage Start(string? callSid, string? streamSid, string accountSid = VoiceTestData.AccountSid) =>
        new(MediaStreamEvents.Start, StreamSid: streamSid, Start: new StreamStart(accountSid, streamSid, callSid));

    private static CallLog Call(Action<CallLog> change)
    {
        var call = new CallLog { CallSid = VoiceTestData.NewCallSid(), BusinessId = 1, PipelineStatus = PipelineStatus.InProgress };
        change(call);
        return call;
    }
}
