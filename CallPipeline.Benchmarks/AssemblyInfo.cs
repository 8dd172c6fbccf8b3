using System.Runtime.Versioning;

// Linux only: servers from the machine's binaries, CPU and memory from /proc.
[assembly: SupportedOSPlatform("linux")]
