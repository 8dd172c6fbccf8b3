using System.Runtime.Versioning;

// The local servers run with Linux's setpriv and file modes (CallPipeline.Hosting.LocalServers).
[assembly: SupportedOSPlatform("linux")]
