using CallPipeline.Data.Entities;
using CallPipeline.Twilio.MediaStreams;
using CallPipeline.Twilio.Rest;
using CallPipeline.Voice.Calls;
using Microsoft.Extensions.Options;

namespace CallPipeline.Voice.MediaStreams;

/// <summary>
/// Admits a media stream at its <c>start</c>: the path's token must have been issued for the start's CallSid, the
/// account must be ours, and the call must be one this gateway answered with no other or finished stream, claimed in
/// one atomic update (<see cref="CallLogStore.ClaimMediaStreamAsync"/>): one stream, one Twilio recording, one WAV per call.
/// </summary>
public sealed class StreamAdmission(
    MediaStreamTokens tokens, CallCapacity capacity, IServiceScopeFactory scopes, IOptions<TwilioOptions> twilio)
{
    /// <summary>The admitted stream, with its call holding the stream's place in <see cref="CallCapacity"/>; or why not.</summary>
    public async Task<StreamAdmissionResult> AdmitAsync(string token, MediaStreamMessage message, CancellationToken cancellationToken)
    {
        if (RefuseStart(token, message) is { } refusal)
        {
            return StreamAdmissionResult.Refused(refusal);
        }
        var start = message.Start!;
        var (callSid, streamSid) = (start.CallSid!, start.StreamSid ?? message.StreamSid!);

        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<CallLogStore>();
        var (claimed, call) = await store.ClaimMediaStreamAsync(callSid, streamSid, DateTimeOffset.UtcNow, cancellationToken);
        if (!claimed)
        {
            return StreamAdmissionResult.Refused(RefusalFor(call));
        }
        capacity.Streaming(callSid);
        return StreamAdmissionResult.Admitted(new AdmittedStream(callSid, streamSid, call!, start));
    }

    /// <summary>Why a start is refused before its call is looked at (its ids, the token, the account); null when it may claim the call.</summary>
    public string? RefuseStart(string token, MediaStreamMessage message)
    {
        var start = message.Start;
        var callSid = start?.CallSid;
        var streamSid = start?.StreamSid ?? message.StreamSid;
        if (callSid is null || streamSid is null || streamSid.Length > 64 || !callSid.All(char.IsAsciiLetterOrDigit))
        {
            return "start has no valid callSid or streamSid";
        }
        if (!tokens.IsValid(token, callSid))
        {
            return "the stream token was not issued for this call";
        }
        if (!string.IsNullOrEmpty(twilio.Value.AccountSid) && start!.AccountSid != twilio.Value.AccountSid)
        {
            return "the stream belongs to another Twilio account";
        }
        return null;
    }

    /// <summary>Why a call could not be claimed for a stream, from the call as it is (null when there is none).</summary>
    public static string RefusalFor(CallLog? call) => call switch
    {
        null => "no such call",
        { BusinessId: null } or { PipelineStatus: PipelineStatus.Rejected } => "the call was not answered by this gateway",
        { StreamFinalizedAt: not null } => "the call's stream already ended (token reused)",
        _ => "another stream is attached to the call",
    };
}
