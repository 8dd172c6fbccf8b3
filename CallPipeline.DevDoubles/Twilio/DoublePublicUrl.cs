using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace CallPipeline.DevDoubles.Twilio;

/// <summary>
/// The double's own base URL, as the gateway and worker reach it (the host of RecordingUrl): DevDoubles:PublicBaseUrl,
/// else the first http address the server listens on, with a wildcard host read as localhost.
/// </summary>
public sealed class DoublePublicUrl(IServer server, IOptions<DevDoublesOptions> options)
{
    public string BaseUrl
    {
        get
        {
            if (!string.IsNullOrWhiteSpace(options.Value.PublicBaseUrl))
            {
                return options.Value.PublicBaseUrl.TrimEnd('/');
            }
            var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            var address = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
                ?? addresses.FirstOrDefault()
                ?? throw new InvalidOperationException("The double listens on no address; set DevDoubles:PublicBaseUrl.");
            var uri = new UriBuilder(address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal));
            if (uri.Host is "0.0.0.0" or "[::]" or "::")
            {
                uri.Host = "localhost";
            }
            return uri.Uri.GetLeftPart(UriPartial.Authority);
        }
    }
}
