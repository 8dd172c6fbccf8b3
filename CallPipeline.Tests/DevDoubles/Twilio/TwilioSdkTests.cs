using System.Globalization;
using System.Net;
using CallPipeline.Tests.DevDoubles.Twilio.Support;
using CallPipeline.Tests.Support;
using CallPipeline.Tests.Twilio.Support;
using CallPipeline.Twilio.Rest;
using Microsoft.Extensions.DependencyInjection;
using Twilio.Clients;
using Twilio.Rest.Api.V2010.Account;
using AccountRecordingResource = Twilio.Rest.Api.V2010.Account.RecordingResource;
using CallRecordingResource = Twilio.Rest.Api.V2010.Account.Call.RecordingResource;

namespace CallPipeline.Tests.DevDoubles.Twilio;

/// <summary>
/// Twilio's .NET SDK, registered as the services register it, against the Twilio double over real HTTP: the double
/// accepts what the SDK sends (paths, form bodies with repeated keys, basic auth, its User-Agent) and answers in shapes
/// the SDK reads, errors included.
/// </summary>
public sealed class TwilioSdkTests
{
    [Fact]
    public async Task The_sdk_places_a_call_the_double_carries_through_the_gateway_then_hangs_it_up_and_fetches_it()
    {
        await using var twilio = await TwilioDoubleServer.StartAsync(new Dictionary<string, string> { ["Simulator:Speed"] = "1" });
        await using var sdk = Sdk(twilio);
        var gateway = twilio.Gateway;

        var placed = await sdk.GetRequiredService<TwilioCallsClient>().CreateCallAsync(
            new OutboundCallRequest("+972541234567", "+97235550100", $"{gateway.BaseUrl}/twilio/voice/incoming", $"{gateway.BaseUrl}/twilio/voice/status"),
            CancellationToken.None);
        await Eventually.ReturnsAsync(() => Task.FromResult(gateway.MediaMessages.Count), count => count > 10, "the stream runs");
        var hungUp = await CallResource.UpdateAsync(
            new UpdateCallOptions(placed.Sid) { Status = CallResource.UpdateStatusEnum.Completed }, sdk.GetRequiredService<ITwilioRestClient>());
        await twilio.EndedCallAsync(placed.Sid);
        var ended = await CallResource.FetchAsync(placed.Sid, client: sdk.GetRequiredService<ITwilioRestClient>());

        Assert.Matches("^CA[0-9a-f]{32}$", placed.Sid);
        Assert.Equal(CallResource.StatusEnum.Queued, placed.Status);
        Assert.Equal("outbound-api", placed.Direction);
        Assert.Equal(twilio.AccountSid, placed.AccountSid);
        Assert.NotNull(placed.DateCreated);
        Assert.Equal(placed.Sid, hungUp.Sid);
        Assert.Equal(CallResource.StatusEnum.Completed, ended.Status);
        Assert.NotNull(ended.EndTime);
        Assert.True(int.Parse(ended.Duration, CultureInfo.InvariantCulture) < 5);
        var incoming = Assert.Single(gateway.RequestsTo("/twilio/voice/incoming"));
        Assert.Equal("outbound-api", incoming["Direction"]);
        // The SDK repeats StatusCallbackEvent; the double reads every value.
        Assert.Equal(["initiated", "ringing", "in-progress", "completed"], gateway.RequestsTo("/twilio/voice/status").Select(s => s["CallStatus"]));
    }

    [Fact]
    public async Task The_sdk_starts_a_dual_channel_recording_on_a_live_call_refuses_a_second_one_and_fetches_it_while_and_after_it_records()
    {
        await using var twilio = await TwilioDoubleServer.StartAsync(new Dictionary<string, string> { ["Simulator:Speed"] = "1" });
        await using var sdk = Sdk(twilio);
        var gateway = twilio.Gateway;
        gateway.StartRecording = false;
        var calls = sdk.GetRequiredService<TwilioCallsClient>();
        var rest = sdk.GetRequiredService<ITwilioRestClient>();
        var callSid = await twilio.PlaceCallAsync(new { from = "+972541234567", to = "+97235550100", text = "שלום, אני צריך אינסטלטור בתל אביב מחר בבוקר." });
        await Eventually.ReturnsAsync(() => Task.FromResult(gateway.MediaMessages.Count), count => count > 10, "the stream runs");

        var started = await calls.StartCallRecordingAsync(callSid, $"{gateway.BaseUrl}/twilio/recording/status", CancellationToken.None);
        var framesAtStart = gateway.MediaMessages.Count;
        var second = await Assert.ThrowsAsync<TwilioApiException>(() => calls.StartCallRecordingAsync(callSid, $"{gateway.BaseUrl}/twilio/recording/status", CancellationToken.None));
        var recording = await AccountRecordingResource.FetchAsync(started.Sid, client: rest);
        // Half a second of the call into the recording: hung up before its first frame, it ends absent (Twilio's 16101),
        // which a busy machine once made happen.
        await Eventually.ReturnsAsync(() => Task.FromResult(gateway.MediaMessages.Count), count => count >= framesAtStart + 25, "the recording takes frames");
        await CallResource.UpdateAsync(new UpdateCallOptions(callSid) { Status = CallResource.UpdateStatusEnum.Completed }, rest);
        await twilio.EndedCallAsync(callSid);
        var completed = await AccountRecordingResource.FetchAsync(started.Sid, client: rest);

        Assert.Matches("^RE[0-9a-f]{32}$", started.Sid);
        Assert.Equal(callSid, started.CallSid);
        Assert.Equal(CallRecordingResource.StatusEnum.InProgress, started.Status);
        Assert.Equal(CallRecordingResource.SourceEnum.Startcallrecordingapi, started.Source);
        Assert.Equal(2, started.Channels);
        Assert.Null(started.Duration);
        Assert.NotNull(started.StartTime);
        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        Assert.Equal(21220, second.TwilioCode);
        // While recording, Twilio reports the duration as the string "-1".
        Assert.Equal(AccountRecordingResource.StatusEnum.InProgress, recording.Status);
        Assert.Equal("-1", recording.Duration);
        Assert.Equal(AccountRecordingResource.StatusEnum.Completed, completed.Status);
        Assert.True(int.Parse(completed.Duration, CultureInfo.InvariantCulture) >= 0);
        // The SDK repeats RecordingStatusCallbackEvent; the double reads every value: in-progress and completed arrive.
        Assert.Equal(["in-progress", "completed"], gateway.RequestsTo("/twilio/recording/status").Select(r => r["RecordingStatus"]));
    }

    [Fact]
    public async Task The_doubles_errors_reach_the_sdk_with_twilios_status_and_code()
    {
        await using var twilio = await TwilioDoubleServer.StartAsync();
        await using var sdk = Sdk(twilio);
        await using var wrongToken = TwilioSdkServices.Create(twilio.BaseUrl, twilio.AccountSid, "not-the-token");

        var unknownCall = await Assert.ThrowsAsync<TwilioApiException>(() => sdk.GetRequiredService<TwilioCallsClient>()
            .StartCallRecordingAsync("CA00000000000000000000000000000000", "https://voice.example.com/twilio/recording/status", CancellationToken.None));
        var unauthorized = await Assert.ThrowsAsync<TwilioApiException>(() => wrongToken.GetRequiredService<TwilioCallsClient>()
            .StartCallRecordingAsync("CA00000000000000000000000000000000", "https://voice.example.com/twilio/recording/status", CancellationToken.None));
        var noTo = await Assert.ThrowsAsync<TwilioApiException>(() => sdk.GetRequiredService<TwilioCallsClient>()
            .CreateCallAsync(new OutboundCallRequest("", "+97235550100", "https://voice.example.com/twilio/voice/incoming", "https://voice.example.com/twilio/voice/status"), CancellationToken.None));

        Assert.Equal((HttpStatusCode.NotFound, 20404), (unknownCall.StatusCode, unknownCall.TwilioCode));
        Assert.Equal((HttpStatusCode.Unauthorized, 20003), (unauthorized.StatusCode, unauthorized.TwilioCode));
        Assert.Equal((HttpStatusCode.BadRequest, 21201), (noTo.StatusCode, noTo.TwilioCode));
    }

    private static ServiceProvider Sdk(TwilioDoubleServer twilio) =>
        TwilioSdkServices.Create(twilio.BaseUrl, twilio.AccountSid, twilio.Gateway.AuthToken);
}
