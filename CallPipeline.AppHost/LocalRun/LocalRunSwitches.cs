namespace CallPipeline.AppHost.LocalRun;

/// <summary>
/// The AppHost's own command-line switches, turned into configuration keys before Aspire reads the command line:
/// <c>--state-file path</c> becomes <c>--AppHost:StateFile=path</c>, and a bare flag such as <c>--demo-call</c> gets
/// <c>=true</c> (the command-line configuration provider would otherwise drop it, or take the next switch as its value).
/// </summary>
internal static class LocalRunSwitches
{
    private static readonly Dictionary<string, (string Key, bool IsFlag)> Switches = new(StringComparer.Ordinal)
    {
        ["--state-file"] = ("AppHost:StateFile", false),
        ["--data-dir"] = ("AppHost:DataDirectory", false),
        ["--servers"] = ("AppHost:Servers", false),
        ["--demo-call"] = ("AppHost:DemoCall", true),
    };

    public static string[] Normalize(string[] args)
    {
        var normalized = new List<string>(args.Length);
        for (var i = 0; i < args.Length; i++)
        {
            var (name, inlineValue) = args[i].Split('=', 2) is [var n, var v] ? (n, v) : (args[i], null);
            if (!Switches.TryGetValue(name, out var known))
            {
                normalized.Add(args[i]);
            }
            else if (inlineValue is not null)
            {
                normalized.Add($"--{known.Key}={inlineValue}");
            }
            else if (known.IsFlag)
            {
                normalized.Add($"--{known.Key}=true");
            }
            else if (i + 1 < args.Length)
            {
                normalized.Add($"--{known.Key}={args[++i]}");
            }
            else
            {
                throw new ArgumentException($"{name} needs a value.");
            }
        }
        return [.. normalized];
    }
}
