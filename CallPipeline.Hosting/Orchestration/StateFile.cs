using System.Text.Json;
using CallPipeline.Hosting.ApplicationModel;

namespace CallPipeline.Hosting.Orchestration;

/// <summary>
/// The resource table as JSON for scripts and tests: each resource's state, URLs and connection string, plus the
/// resolved parameters. It holds secrets, so it is created readable by its owner only.
/// </summary>
internal static class StateFile
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static void Write(string path, IEnumerable<IResource> resources, ResourceNotificationService notifications)
    {
        var state = new
        {
            Resources = resources.Where(r => r is not ParameterResource).Select(resource =>
            {
                var snapshot = notifications.GetSnapshot(resource.Name);
                return new
                {
                    resource.Name,
                    Type = snapshot?.ResourceType,
                    snapshot?.State,
                    Urls = snapshot?.Urls ?? [],
                    snapshot?.ConnectionString,
                };
            }),
            Parameters = resources.OfType<ParameterResource>().Where(p => p.HasValue).ToDictionary(p => p.Name, p => p.Value),
        };
        WriteOwnerOnly(path, JsonSerializer.Serialize(state, Options));
    }

    public static void WriteOwnerOnly(string path, string content)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }
        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(content);
        }
        File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temporary, path, overwrite: true);
    }
}
