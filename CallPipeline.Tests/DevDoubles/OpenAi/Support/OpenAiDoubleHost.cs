extern alias devdoubles;

using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using CallPipeline.Tests.Support;
using devdoubles::CallPipeline.DevDoubles.OpenAi.Requests;
using devdoubles::CallPipeline.DevDoubles.Speech;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenAI;
using OpenAI.Audio;
using OpenAI.Chat;

namespace CallPipeline.Tests.DevDoubles.OpenAi.Support;

/// <summary>
/// The dev doubles process hosted in memory (OpenAI's .NET SDK reaches it through the test server's HttpClient) or on
/// Kestrel at 127.0.0.1 (the SDK's own HTTP stack over real sockets): the same SDK and wire format the worker uses,
/// only the endpoint differs.
/// </summary>
internal sealed class OpenAiDoubleHost : IAsyncDisposable
{
    private readonly WebApplicationFactory<devdoubles::Program> _factory;
    private readonly Uri _baseAddress;
    private readonly bool _onKestrel;

    private OpenAiDoubleHost(WebApplicationFactory<devdoubles::Program> factory, string apiKey, int? kestrelPort)
    {
        _factory = factory;
        ApiKey = apiKey;
        _onKestrel = kestrelPort is not null;
        if (kestrelPort is { } port)
        {
            _baseAddress = new Uri($"http://127.0.0.1:{port}");
            Http = new HttpClient { BaseAddress = _baseAddress };
        }
        else
        {
            Http = factory.CreateClient();
            _baseAddress = factory.Server.BaseAddress;
        }
    }

    public string ApiKey { get; }

    public HttpClient Http { get; }

    public SpokenTextRegistry SpokenText => _factory.Services.GetRequiredService<SpokenTextRegistry>();

    public static OpenAiDoubleHost Start(
        IReadOnlyDictionary<string, string>? settings = null, bool onKestrel = false, CapturedLogs? logs = null, Action<IServiceCollection>? services = null)
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
            if (logs is not null)
            {
                web.ConfigureLogging(logging => logging.AddProvider(logs));
            }
            if (services is not null)
            {
                web.ConfigureTestServices(services);
            }
        });
        if (!onKestrel)
        {
            return new OpenAiDoubleHost(factory, apiKey, kestrelPort: null);
        }
        var port = FreePort.Next();
        factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        factory.StartServer();
        return new OpenAiDoubleHost(factory, apiKey, port);
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

    private OpenAIClientOptions ClientOptions(int maxRetries)
    {
        var options = new OpenAIClientOptions
        {
            Endpoint = new Uri(_baseAddress, "/v1"),
            RetryPolicy = new ClientRetryPolicy(maxRetries),
            NetworkTimeout = TimeSpan.FromSeconds(60),
        };
        if (!_onKestrel)
        {
            options.Transport = new HttpClientPipelineTransport(Http);
        }
        return options;
    }
}
