using System.Runtime.Versioning;

// The local runtime ties child processes to the AppHost with Linux facilities.
[assembly: SupportedOSPlatform("linux")]
