using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using CallPipeline.OperatorConsole.Sessions;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CallPipeline.OperatorConsole.OperatorApi;

/// <summary>
/// The voice gateway's operator API (<c>/api</c>) as the signed-in operator: every request carries the key from the
/// operator's session. Failures come back as an <see cref="ApiError"/> for the page to show, never as an exception.
/// </summary>
public sealed partial class OperatorApiClient(HttpClient http, AuthenticationStateProvider authentication, ILogger<OperatorApiClient> logger)
{
    public const string ApiKeyHeader = "X-Api-Key";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>Whether the voice gateway accepts <paramref name="operatorKey"/>; used once, at sign-in.</summary>
    public async Task<ApiError?> CheckKeyAsync(string operatorKey, CancellationToken cancellationToken)
    {
        var result = await SendAsync<JsonElement>(HttpMethod.Get, "/api/businesses?active=true", null, operatorKey, cancellationToken);
        return result.Error;
    }

    public Task<ApiResult<CallPage>> ListCallsAsync(CallSearch search, int page, int pageSize, CancellationToken cancellationToken)
    {
        var query = new List<string> { $"page={page}", $"pageSize={pageSize}" };
        Add(query, "number", search.Number);
        Add(query, "callSid", search.CallSid);
        Add(query, "businessId", search.BusinessId?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add(query, "status", search.Status);
        Add(query, "since", search.Since?.UtcDateTime.ToString("O"));
        Add(query, "until", search.Until?.UtcDateTime.ToString("O"));
        return GetAsync<CallPage>($"/api/calls?{string.Join('&', query)}", cancellationToken);
    }

    public Task<ApiResult<CallRecord>> GetCallAsync(string callSid, CancellationToken cancellationToken) =>
        GetAsync<CallRecord>($"/api/calls/{Uri.EscapeDataString(callSid)}", cancellationToken);

    public Task<ApiResult<JsonElement>> ReprocessAsync(string callSid, CancellationToken cancellationToken) =>
        SendAsync<JsonElement>(HttpMethod.Post, $"/api/calls/{Uri.EscapeDataString(callSid)}/reprocess", null, cancellationToken);

    public Task<ApiResult<JsonElement>> RedeliverAsync(string callSid, CancellationToken cancellationToken) =>
        SendAsync<JsonElement>(HttpMethod.Post, $"/api/calls/{Uri.EscapeDataString(callSid)}/webhooks/redeliver", null, cancellationToken);

    public Task<ApiResult<JsonElement>> EraseAsync(string callSid, CancellationToken cancellationToken) =>
        SendAsync<JsonElement>(HttpMethod.Delete, $"/api/calls/{Uri.EscapeDataString(callSid)}/data", null, cancellationToken);

    public Task<ApiResult<List<Business>>> ListBusinessesAsync(CancellationToken cancellationToken) =>
        GetAsync<List<Business>>("/api/businesses", cancellationToken);

    public Task<ApiResult<Business>> GetBusinessAsync(int id, CancellationToken cancellationToken) =>
        GetAsync<Business>($"/api/businesses/{id}", cancellationToken);

    public Task<ApiResult<CreatedBusiness>> CreateBusinessAsync(BusinessChange business, CancellationToken cancellationToken) =>
        SendAsync<CreatedBusiness>(HttpMethod.Post, "/api/businesses", JsonContent.Create(business, options: Json), cancellationToken);

    public Task<ApiResult<Business>> UpdateBusinessAsync(int id, BusinessChange business, CancellationToken cancellationToken) =>
        SendAsync<Business>(HttpMethod.Patch, $"/api/businesses/{id}", JsonContent.Create(business, options: Json), cancellationToken);

    public Task<ApiResult<RotatedWebhookSecret>> RotateWebhookSecretAsync(int id, CancellationToken cancellationToken) =>
        SendAsync<RotatedWebhookSecret>(HttpMethod.Post, $"/api/businesses/{id}/webhook-secret/rotate", null, cancellationToken);

    public Task<ApiResult<List<BusinessWebhookDelivery>>> ListBusinessWebhooksAsync(int id, int limit, CancellationToken cancellationToken) =>
        GetAsync<List<BusinessWebhookDelivery>>($"/api/businesses/{id}/webhooks?limit={limit}", cancellationToken);

    public Task<ApiResult<QueueMeasurement>> GetQueuesAsync(CancellationToken cancellationToken) =>
        GetAsync<QueueMeasurement>("/api/queues", cancellationToken);

    public Task<ApiResult<DeadLetterPage>> ListDeadLettersAsync(int page, int pageSize, CancellationToken cancellationToken) =>
        GetAsync<DeadLetterPage>($"/api/dead-letters?status=open&page={page}&pageSize={pageSize}", cancellationToken);

    public Task<ApiResult<JsonElement>> ReplayDeadLetterAsync(long id, CancellationToken cancellationToken) =>
        SendAsync<JsonElement>(HttpMethod.Post, $"/api/dead-letters/{id}/replay", null, cancellationToken);

    public Task<ApiResult<JsonElement>> DeleteDeadLetterAsync(long id, CancellationToken cancellationToken) =>
        SendAsync<JsonElement>(HttpMethod.Delete, $"/api/dead-letters/{id}", null, cancellationToken);

    private Task<ApiResult<T>> GetAsync<T>(string path, CancellationToken cancellationToken) => SendAsync<T>(HttpMethod.Get, path, null, cancellationToken);

    private async Task<ApiResult<T>> SendAsync<T>(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        var state = await authentication.GetAuthenticationStateAsync();
        if (OperatorSession.OperatorKey(state.User) is not { } operatorKey)
        {
            return new(default, new ApiError(ApiFailure.KeyRefused, "You are not signed in"));
        }
        return await SendAsync<T>(method, path, content, operatorKey, cancellationToken);
    }

    private async Task<ApiResult<T>> SendAsync<T>(HttpMethod method, string path, HttpContent? content, string operatorKey, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Add(ApiKeyHeader, operatorKey);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                var value = response.StatusCode == HttpStatusCode.NoContent || response.Content.Headers.ContentLength == 0
                    ? default
                    : await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken);
                return new(value, null);
            }
            return new(default, await ErrorAsync(response, cancellationToken));
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException or Polly.Timeout.TimeoutRejectedException
            || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // The path only: a search query can carry a caller's number.
            LogUnreachable(logger, method.Method, path.Split('?')[0], ex.GetType().Name);
            return new(default, new ApiError(ApiFailure.Unreachable, "The voice gateway is not answering", "Try again in a moment; nothing was changed."));
        }
    }

    private static async Task<ApiError> ErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            return new ApiError(ApiFailure.KeyRefused, "The operator key was refused", "It may have been changed; sign in again.");
        }
        var failure = response.StatusCode == HttpStatusCode.NotFound ? ApiFailure.NotFound : ApiFailure.Refused;
        try
        {
            var problem = await response.Content.ReadFromJsonAsync<ValidationProblemDetails>(Json, cancellationToken);
            if (problem is not null)
            {
                return new ApiError(failure, problem.Title ?? response.ReasonPhrase ?? "The request was refused", problem.Detail, problem.Errors.ToDictionary());
            }
        }
        catch (JsonException)
        {
            // Not ProblemDetails (a proxy's error page, say): the status is all there is to tell.
        }
        return new ApiError(failure, $"The voice gateway answered {(int)response.StatusCode} {response.ReasonPhrase}");
    }

    private static void Add(List<string> query, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            query.Add($"{name}={Uri.EscapeDataString(value.Trim())}");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The operator API did not answer {Method} {Path} ({Exception})")]
    private static partial void LogUnreachable(ILogger logger, string method, string path, string exception);
}
