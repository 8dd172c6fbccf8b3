using System.Runtime.Versioning;

// Linux only: servers from the machine's binaries, processes and signals through /proc and kill(2).
[assembly: SupportedOSPlatform("linux")]
