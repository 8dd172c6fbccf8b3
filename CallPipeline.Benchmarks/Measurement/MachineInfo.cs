using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;

namespace CallPipeline.Benchmarks.Measurement;

/// <summary>What a reader needs to weigh the numbers: cores, memory, OS, runtime, the build measured, and how busy the machine was.</summary>
/// <param name="Build">The benchmark's build configuration, which is the services' too (Aspire runs them in the AppHost's).</param>
public sealed record MachineInfo(int Cores, double MemoryGiB, string OperatingSystem, string Runtime, string Cpu, string? Build = null)
{
    public static MachineInfo Current() => new(
        Environment.ProcessorCount,
        Math.Round(MemTotalKb() / 1024.0 / 1024.0, 1),
        OsName(),
        RuntimeInformation.FrameworkDescription,
        CpuModel(),
        typeof(MachineInfo).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration);

    /// <summary>The 1-minute load average: on a shared machine, other work competes with what is measured.</summary>
    public static double LoadAverage() =>
        double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);

    private static long MemTotalKb() => File.ReadLines("/proc/meminfo")
        .Where(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))
        .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture))
        .FirstOrDefault();

    private static string OsName() => File.Exists("/etc/os-release")
        ? File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?["PRETTY_NAME=".Length..].Trim('"') ?? RuntimeInformation.OSDescription
        : RuntimeInformation.OSDescription;

    private static string CpuModel() => File.Exists("/proc/cpuinfo")
        ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown"
        : "unknown";
}
