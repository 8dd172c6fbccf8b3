using System.Text;
using System.Text.Json;

namespace CallPipeline.AppHost.LocalRun;

/// <summary>
/// The running graph as an operator and a script need it: each resource's type, state, URLs and connection string,
/// the resolved parameters and the dashboard's login URL. It holds secrets, so its file is readable by its owner only.
/// </summary>
internal sealed record GraphState(string? DashboardLoginUrl, IReadOnlyList<GraphState.Resource> Resources, IReadOnlyDictionary<string, string?> Parameters)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public sealed record Resource(string Name, string? Type, string? State, IReadOnlyList<string> Urls, string? ConnectionString);

    public static async Task<GraphState> CaptureAsync(
        DistributedApplicationModel model, ResourceNotificationService notifications, string? dashboardLoginUrl, CancellationToken cancellationToken)
    {
        var resources = new List<Resource>();
        foreach (var resource in model.Resources)
        {
            var current = await notifications.WaitForResourceAsync(resource.Name, _ => true, cancellationToken);
            if (!current.IsShownToOperator())
            {
                continue;
            }
            var connectionString = resource is IResourceWithConnectionString withConnectionString
                ? await withConnectionString.GetConnectionStringAsync(cancellationToken)
                : null;
            resources.Add(new Resource(
                resource.Name,
                current.Snapshot.ResourceType,
                current.Snapshot.State?.Text,
                current.Snapshot.Urls.Where(u => !u.IsInternal).Select(u => u.Url).ToList(),
                connectionString));
        }
        var parameters = new Dictionary<string, string?>();
        foreach (var parameter in model.Resources.OfType<ParameterResource>())
        {
            parameters[parameter.Name] = await parameter.GetValueAsync(cancellationToken);
        }
        return new GraphState(dashboardLoginUrl, resources, parameters);
    }

    public string ToTable()
    {
        var table = new StringBuilder().AppendLine();
        // Columns as wide as their longest value, so a long resource type never runs into the state.
        var nameWidth = Math.Max("RESOURCE".Length, Resources.Max(r => (int?)r.Name.Length) ?? 0) + 2;
        var typeWidth = Math.Max("TYPE".Length, Resources.Max(r => r.Type?.Length) ?? 0) + 2;
        var stateWidth = Math.Max("STATE".Length, Resources.Max(r => r.State?.Length) ?? 0) + 2;
        table.AppendLine("RESOURCE".PadRight(nameWidth) + "TYPE".PadRight(typeWidth) + "STATE".PadRight(stateWidth) + "URLS");
        foreach (var resource in Resources)
        {
            table.AppendLine(resource.Name.PadRight(nameWidth) + (resource.Type ?? "").PadRight(typeWidth)
                + (resource.State ?? "").PadRight(stateWidth) + string.Join(' ', resource.Urls));
        }
        if (DashboardLoginUrl is not null)
        {
            table.AppendLine().AppendLine($"Dashboard: {DashboardLoginUrl}");
        }
        return table.AppendLine().ToString();
    }

    /// <summary>Written whole through a temporary file created owner-only, so no reader ever sees a partial or open file.</summary>
    public void WriteOwnerOnly(string path)
    {
        var fullPath = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        var temporary = fullPath + ".tmp";
        using (var stream = new FileStream(temporary, new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        {
            JsonSerializer.Serialize(stream, this, Json);
        }
        File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temporary, fullPath, overwrite: true);
    }
}
