using System.Runtime.Versioning;

// The local servers are Debian's PostgreSQL and Redis packages, run with Linux's setpriv and file modes.
[assembly: SupportedOSPlatform("linux")]
