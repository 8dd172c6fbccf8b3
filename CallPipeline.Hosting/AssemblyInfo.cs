using System.Runtime.Versioning;

// Child processes are tied to the AppHost with Linux's parent-death signal (setpriv) and run as the postgres user.
[assembly: SupportedOSPlatform("linux")]
