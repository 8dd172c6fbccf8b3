using System.Net;
using System.Net.Sockets;

namespace CallPipeline.Webhooks.Targets;

/// <summary>
/// Addresses a business's webhook must never reach outside Development: loopback, private, link-local
/// (cloud metadata lives at 169.254.169.254), carrier-grade NAT, unspecified, multicast and reserved ranges.
/// </summary>
public static class NetworkAddresses
{
    public static bool IsInternal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address))
        {
            return true;
        }

        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => IsInternalV4(address.GetAddressBytes()),
            AddressFamily.InterNetworkV6 => IsInternalV6(address),
            _ => true,
        };
    }

    private static bool IsInternalV4(byte[] b) =>
        b[0] == 0                                      // "this network"
        || b[0] == 10                                  // private
        || (b[0] == 100 && b[1] >= 64 && b[1] <= 127)  // carrier-grade NAT
        || b[0] == 127                                 // loopback
        || (b[0] == 169 && b[1] == 254)                // link-local, cloud metadata
        || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)   // private
        || (b[0] == 192 && b[1] == 168)                // private
        || (b[0] == 192 && b[1] == 0 && b[2] == 0)     // IETF protocol assignments
        || (b[0] == 198 && (b[1] == 18 || b[1] == 19)) // benchmarking
        || b[0] >= 224;                                // multicast, reserved, broadcast

    private static bool IsInternalV6(IPAddress address)
    {
        var b = address.GetAddressBytes();
        return address.Equals(IPAddress.IPv6None)
            || address.IsIPv6LinkLocal
            || address.IsIPv6SiteLocal
            || address.IsIPv6Multicast
            || (b[0] & 0xFE) == 0xFC                   // unique local fc00::/7
            || address.IsIPv6Teredo
            || (b[0] == 0x20 && b[1] == 0x02 && IsInternalV4(b[2..6])) // 6to4 wrapping an internal IPv4 address
            || (b[0] == 0 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B && IsInternalV4(b[12..16])); // NAT64
    }
}
