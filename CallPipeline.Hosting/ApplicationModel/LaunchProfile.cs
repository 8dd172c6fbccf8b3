using System.Text.Json;

namespace CallPipeline.Hosting.ApplicationModel;

/// <summary>The first launch profile of a project's Properties/launchSettings.json: its URLs and environment.</summary>
public sealed record LaunchProfile(string Name, IReadOnlyList<Uri> ApplicationUrls, IReadOnlyDictionary<string, string> EnvironmentVariables)
{
    public static LaunchProfile? Read(string projectPath)
    {
        var file = Path.Combine(Path.GetDirectoryName(projectPath) ?? ".", "Properties", "launchSettings.json");
        if (!File.Exists(file))
        {
            return null;
        }
        using var document = JsonDocument.Parse(File.ReadAllText(file), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        if (!document.RootElement.TryGetProperty("profiles", out var profiles))
        {
            return null;
        }
        foreach (var profile in profiles.EnumerateObject())
        {
            if (profile.Value.TryGetProperty("commandName", out var command) && command.GetString() != "Project")
            {
                continue;
            }
            var urls = profile.Value.TryGetProperty("applicationUrl", out var applicationUrl)
                ? applicationUrl.GetString()!.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(url => new Uri(url)).ToList()
                : [];
            var environment = profile.Value.TryGetProperty("environmentVariables", out var variables)
                ? variables.EnumerateObject().ToDictionary(v => v.Name, v => v.Value.GetString() ?? "")
                : [];
            return new LaunchProfile(profile.Name, urls, environment);
        }
        return null;
    }
}
