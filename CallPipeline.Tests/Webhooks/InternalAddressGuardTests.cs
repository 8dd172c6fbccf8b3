using System.Net;
using System.Net.Sockets;
using CallPipeline.Webhooks.Dispatch;
using CallPipeline.Webhooks.Signing;
using CallPipeline.Webhooks.Targets;
using Microsoft.Extensions.Options;

namespace CallPipeline.Tests.Webhooks;

/// <summary>Outside Development the dispatcher connects only to public addresses, whatever the name resolves to.</summary>
public sealed class InternalAddressGuardTests
{
    [Fact]
    public async Task A_name_that_resolves_to_loopback_is_refused_before_any_connection_is_made()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var client = new HttpClient(new SocketsHttpHandler { ConnectCallback = InternalAddressGuard.ConnectToPublicAddressAsync });

        var exception = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync($"http://localhost:{port}/"));

        Assert.IsType<InternalTargetRefusedException>(exception.InnerException);
        Assert.False(listener.Pending());
    }

    [Fact]
    public async Task The_sender_reports_a_refused_internal_target_as_a_short_error_without_the_url()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var sender = new WebhookSender(
            new GuardedClientFactory(),
            TimeProvider.System,
            new FixedOptionsMonitor<WebhookDispatcherOptions>(new WebhookDispatcherOptions()));
        var delivery = new ClaimedDelivery(1, "msg_guard", "CA1", 1, $"http://localhost:{port}/hooks?token=s3cret", "{}", WebhookSecret.Generate(), 1, 1, "call.completed", null);

        var outcome = await sender.SendAsync(delivery);

        Assert.Equal(AttemptResult.Failed, outcome.Result);
        Assert.Null(outcome.StatusCode);
        Assert.Equal("refused: the host resolves only to internal addresses", outcome.Error);
    }

    private sealed class GuardedClientFactory : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) =>
            new(new SocketsHttpHandler { AllowAutoRedirect = false, ConnectCallback = InternalAddressGuard.ConnectToPublicAddressAsync });
    }

    private sealed class FixedOptionsMonitor<T>(T value) : IOptionsMonitor<T>
    {
        public T CurrentValue => value;

        public T Get(string? name) => value;

        public IDisposable? OnChange(Action<T, string?> listener) => null;
    }
}
