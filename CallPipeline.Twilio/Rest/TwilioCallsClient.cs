using Twilio.Clients;
using Twilio.Exceptions;
using Twilio.Rest.Api.V2010.Account;
using Twilio.Types;
using CallRecordingResource = Twilio.Rest.Api.V2010.Account.Call.RecordingResource;
using CreateCallRecordingOptions = Twilio.Rest.Api.V2010.Account.Call.CreateRecordingOptions;
using TwilioHttpMethod = Twilio.Http.HttpMethod;

namespace CallPipeline.Twilio.Rest;

/// <summary>
/// The Twilio REST calls the system makes, through Twilio's SDK with the project's settings, and its errors as
/// <see cref="TwilioApiException"/>. The SDK takes no CancellationToken: a cancelled caller stops waiting, and the request
/// itself ends within the client's resilience timeouts.
/// </summary>
public sealed class TwilioCallsClient(ITwilioRestClient twilio)
{
    /// <summary>
    /// Starts a dual-channel recording of a live call (<c>POST …/Calls/{CallSid}/Recordings.json</c>). The REST defaults
    /// are mono and no callback, so both are set explicitly.
    /// </summary>
    public Task<CallRecordingResource> StartCallRecordingAsync(string callSid, string recordingStatusCallbackUrl, CancellationToken cancellationToken) =>
        InvokeAsync(CallRecordingResource.CreateAsync(
            new CreateCallRecordingOptions(callSid)
            {
                RecordingChannels = "dual",
                RecordingStatusCallback = new Uri(recordingStatusCallbackUrl),
                RecordingStatusCallbackEvent = ["in-progress", "completed", "absent"],
                RecordingStatusCallbackMethod = TwilioHttpMethod.Post,
            },
            twilio), cancellationToken);

    /// <summary>Places an outbound call (<c>POST …/Calls.json</c>); Twilio then calls our TwiML URL like any inbound call.</summary>
    public Task<CallResource> CreateCallAsync(OutboundCallRequest request, CancellationToken cancellationToken) =>
        InvokeAsync(CallResource.CreateAsync(
            new CreateCallOptions(new PhoneNumber(request.To), new PhoneNumber(request.From))
            {
                Url = new Uri(request.TwimlUrl),
                Method = TwilioHttpMethod.Post,
                StatusCallback = new Uri(request.StatusCallbackUrl),
                StatusCallbackEvent = ["initiated", "ringing", "answered", "completed"],
                StatusCallbackMethod = TwilioHttpMethod.Post,
            },
            twilio), cancellationToken);

    /// <summary>
    /// Deletes a recording and its media at Twilio (<c>DELETE …/Recordings/{RecordingSid}.json</c>, 204).
    /// </summary>
    /// <returns>True when this call deleted it; false when Twilio had no such recording (404, 20404): deleted before, which counts as deleted.</returns>
    public async Task<bool> DeleteRecordingAsync(string recordingSid, CancellationToken cancellationToken)
    {
        try
        {
            return await InvokeAsync(RecordingResource.DeleteAsync(recordingSid, client: twilio), cancellationToken);
        }
        catch (TwilioApiException ex) when (ex.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    private static async Task<T> InvokeAsync<T>(Task<T> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call.WaitAsync(cancellationToken);
        }
        catch (TwilioException exception)
        {
            throw TwilioApiException.From(exception);
        }
    }
}
