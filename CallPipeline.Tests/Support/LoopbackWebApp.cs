using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CallPipeline.Tests.Support;

/// <summary>
/// The one way a test starts a small web app of its own (a fake Twilio, OpenAI or gateway): slim, silent, on real
/// Kestrel over loopback. Port 0 lets the kernel pick a free port while binding, so parallel tests never race for one.
/// </summary>
internal static class LoopbackWebApp
{
    public static WebApplicationBuilder CreateBuilder(Action<KestrelServerOptions>? kestrel = null) =>
        Create(options =>
        {
            options.Listen(IPAddress.Loopback, 0);
            kestrel?.Invoke(options);
        });

    /// <summary>
    /// On both loopback addresses (127.0.0.1 and ::1) of one <paramref name="port"/>, for a fake that must answer under two
    /// host names (<c>127.0.0.1</c> and <c>localhost</c>); the port must be free (<see cref="FreePort"/>).
    /// </summary>
    public static WebApplicationBuilder CreateBuilderOnLocalhost(int port) => Create(options => options.ListenLocalhost(port));

    private static WebApplicationBuilder Create(Action<KestrelServerOptions> listen)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(listen);
        return builder;
    }

    /// <summary>The started app's address, <c>http://127.0.0.1:{port}</c>.</summary>
    public static string BaseUrl(WebApplication app)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return $"http://127.0.0.1:{new Uri(address).Port}";
    }
}
