extern alias receiver;

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CallPipeline.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CallPipeline.Tests.Webhooks.Support;

/// <summary>
/// The real webhook-receiver service on Kestrel at 127.0.0.1, so the dispatcher speaks real HTTP to it.
/// Every hook name given shares <see cref="Secret"/>.
/// </summary>
internal sealed class ReceiverServer : IAsyncDisposable
{
    private readonly WebApplicationFactory<receiver::Program> _factory;
    private readonly HttpClient _client;

    private ReceiverServer(WebApplicationFactory<receiver::Program> factory, int port)
    {
        _factory = factory;
        BaseUrl = $"http://127.0.0.1:{port}";
        _client = new HttpClient { BaseAddress = new Uri(BaseUrl) };
    }

    public string BaseUrl { get; }

    public string Secret { get; private init; } = "";

    public string HookUrl(string name) => $"{BaseUrl}/hooks/{name}";

    public static ReceiverServer Start(string secret, IEnumerable<string> hooks, int? port = null, IReadOnlyDictionary<string, string>? settings = null)
    {
        var listenPort = port ?? FreePort.Next();
        var factory = new WebApplicationFactory<receiver::Program>().WithWebHostBuilder(web =>
        {
            foreach (var hook in hooks)
            {
                web.UseSetting($"Receiver:Secrets:{hook}", secret);
            }
            foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            {
                web.UseSetting(key, value);
            }
        });
        factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, listenPort));
        factory.StartServer();
        return new ReceiverServer(factory, listenPort) { Secret = secret };
    }

    public async Task<IReadOnlyList<ReceivedWebhookView>> ListAsync(string hook) =>
        await _client.GetFromJsonAsync<List<ReceivedWebhookView>>($"/hooks/{hook}", JsonSerializerOptions.Web) ?? [];

    public async Task SetFaultsAsync(object faults)
    {
        using var response = await _client.PutAsJsonAsync("/faults", faults);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>What the hook verifies with from now on (<c>PUT /hooks/{name}/secret</c>), as a business switching to a rotated secret.</summary>
    public async Task SetSecretAsync(string hook, string secret)
    {
        using var response = await _client.PutAsJsonAsync($"/hooks/{hook}/secret", new { secret });
        response.EnsureSuccessStatusCode();
    }

    public async Task ClearFaultsAsync()
    {
        using var response = await _client.PutAsJsonAsync("/faults", new { });
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
    }
}

internal sealed record ReceivedWebhookView(
    string Id,
    long Timestamp,
    Dictionary<string, string> Headers,
    string Body,
    int AttemptsSeen,
    DateTimeOffset ReceivedAt);
