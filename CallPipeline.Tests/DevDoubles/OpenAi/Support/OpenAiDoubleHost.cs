extern alias devdoubles;

using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net.Http.Json;
using System.Security.Cryptography;
using devdoubles::CallPipeline.DevDoubles.OpenAi.Requests;
using devdoubles::CallPipeline.DevDoubles.Speech;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using OpenAI;
using OpenAI.Audio;
using OpenAI.Chat;

namespace CallPipeline.Tests.DevDoubles.OpenAi.Support;

/// <summary>
/// The dev doubles process hosted in memory, with OpenAI's .NET SDK pointed at it through the test server's
/// HttpClient: the same SDK and wire format the worker uses, only the endpoint differs.
/// </summary>
internal sealed class OpenAiDoubleHost : IAsyncDisposable
{
    private readonly WebApplicationFactory<devdoubles::Program> _factory;

    private OpenAiDoubleHost(WebApplicationFactory<devdoubles::Program> factory, string apiKey)
    {
        _factory = factory;
        ApiKey = apiKey;
        Http = factory.CreateClient();
    }

    public string ApiKey { get; }

    public HttpClient Http { get; }

    public SpokenTextRegistry SpokenText => _factory.Services.GetRequiredService<SpokenTextRegistry>();

    public static OpenAiDoubleHost Start(IReadOnlyDictionary<string, string>? settings = null)
    {
        var apiKey = "sk-test-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var factory = new WebApplicationFactory<devdoubles::Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Development");
            web.UseSetting("OpenAI:ApiKey", apiKey);
            // The Twilio double shares the process; it gets plausible settings so it starts whatever it validates.
            web.UseSetting("Twilio:AccountSid", "AC" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
            web.UseSetting("Twilio:AuthToken", Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
            web.UseSetting("Simulator:VoiceBaseUrl", "http://127.0.0.1:9");
            foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            {
                web.UseSetting(key, value);
            }
        });
        return new OpenAiDoubleHost(factory, apiKey);
    }

    public static string NewRecordingSid() => "RE" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public AudioClient Audio(string model, string? apiKey = null, int maxRetries = 0) =>
        new(model, new ApiKeyCredential(apiKey ?? ApiKey), ClientOptions(maxRetries));

    public ChatClient Chat(string model = "gpt-4o-mini", string? apiKey = null, int maxRetries = 0) =>
        new(model, new ApiKeyCredential(apiKey ?? ApiKey), ClientOptions(maxRetries));

    public async Task<IReadOnlyList<OpenAiRequestRecord>> RequestsAsync() =>
        await Http.GetFromJsonAsync<List<OpenAiRequestRecord>>("/v1/_double/requests") ?? [];

    public async Task<string> RequestsJsonAsync() => await Http.GetStringAsync("/v1/_double/requests");

    public async Task AddFaultAsync(object fault)
    {
        using var response = await Http.PostAsJsonAsync("/v1/_double/faults", fault);
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _factory.DisposeAsync();
    }

    private OpenAIClientOptions ClientOptions(int maxRetries) => new()
    {
        Endpoint = new Uri(_factory.Server.BaseAddress, "/v1"),
        Transport = new HttpClientPipelineTransport(Http),
        RetryPolicy = new ClientRetryPolicy(maxRetries),
        NetworkTimeout = TimeSpan.FromSeconds(60),
    };
}
