using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Options;

namespace CallPipeline.Twilio.Rest;

/// <summary>The few Twilio REST calls the gateway makes, over a typed <see cref="HttpClient"/>, with Basic auth AccountSid:AuthToken.</summary>
public sealed class TwilioRestClient(HttpClient http, IOptions<TwilioOptions> options)
{
    private const string ApiVersion = "2010-04-01";

    /// <summary>
    /// Starts a dual-channel recording of a live call (<c>POST …/Calls/{CallSid}/Recordings.json</c>). The REST defaults
    /// are mono and no callback, so both are set explicitly.
    /// </summary>
    public async Task<TwilioRecording> StartCallRecordingAsync(string callSid, string recordingStatusCallbackUrl, CancellationToken cancellationToken)
    {
        var form = new Dictionary<string, string>
        {
            ["RecordingChannels"] = "dual",
            ["RecordingStatusCallback"] = recordingStatusCallbackUrl,
            ["RecordingStatusCallbackEvent"] = "in-progress completed absent",
            ["RecordingStatusCallbackMethod"] = "POST",
        };
        return await PostAsync($"Calls/{Uri.EscapeDataString(callSid)}/Recordings.json", form, TwilioRestJsonContext.Default.TwilioRecording, cancellationToken);
    }

    /// <summary>Places an outbound call (<c>POST …/Calls.json</c>); Twilio then calls our TwiML URL like any inbound call.</summary>
    public async Task<TwilioCall> CreateCallAsync(OutboundCallRequest request, CancellationToken cancellationToken)
    {
        var form = new Dictionary<string, string>
        {
            ["To"] = request.To,
            ["From"] = request.From,
            ["Url"] = request.TwimlUrl,
            ["Method"] = "POST",
            ["StatusCallback"] = request.StatusCallbackUrl,
            ["StatusCallbackEvent"] = "initiated ringing answered completed",
            ["StatusCallbackMethod"] = "POST",
        };
        return await PostAsync("Calls.json", form, TwilioRestJsonContext.Default.TwilioCall, cancellationToken);
    }

    private async Task<T> PostAsync<T>(string resource, Dictionary<string, string> form, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var url = $"{settings.ApiBaseUrl.TrimEnd('/')}/{ApiVersion}/Accounts/{Uri.EscapeDataString(settings.AccountSid)}/{resource}";
        using var message = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
        message.Headers.Authorization = settings.BasicAuthorization();

        using var response = await http.SendAsync(message, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            TwilioError? error = null;
            try
            {
                error = await response.Content.ReadFromJsonAsync(TwilioRestJsonContext.Default.TwilioError, cancellationToken);
            }
            catch (JsonException)
            {
                // Not Twilio's JSON error body (a proxy's HTML page, say); the status code alone explains it.
            }
            throw new TwilioApiException(response.StatusCode, error?.Code, error?.Message);
        }

        return await response.Content.ReadFromJsonAsync(typeInfo, cancellationToken)
            ?? throw new TwilioApiException(response.StatusCode, null, "empty response body");
    }
}
