using CallPipeline.Hosting.ApplicationModel;

namespace CallPipeline.Hosting.Orchestration;

internal static class ResourceTable
{
    public static void Print(TextWriter writer, IEnumerable<IResource> resources, ResourceNotificationService notifications)
    {
        var rows = resources.Where(r => r is not ParameterResource)
            .Select(r => (r.Name, Snapshot: notifications.GetSnapshot(r.Name)))
            .Select(r => (r.Name, Type: r.Snapshot?.ResourceType ?? "", State: r.Snapshot?.State ?? "", Urls: string.Join(", ", r.Snapshot?.Urls ?? [])))
            .ToList();
        var nameWidth = Math.Max(8, rows.Max(r => r.Name.Length)) + 2;
        var typeWidth = Math.Max(4, rows.Max(r => r.Type.Length)) + 2;
        var stateWidth = Math.Max(5, rows.Max(r => r.State.Length)) + 2;
        writer.WriteLine();
        writer.WriteLine($"{"Resource".PadRight(nameWidth)}{"Type".PadRight(typeWidth)}{"State".PadRight(stateWidth)}URLs");
        foreach (var row in rows)
        {
            writer.WriteLine($"{row.Name.PadRight(nameWidth)}{row.Type.PadRight(typeWidth)}{row.State.PadRight(stateWidth)}{row.Urls}");
        }
        writer.WriteLine();
    }
}
