using System.Collections.Concurrent;

namespace CallPipeline.Hosting.Orchestration;

public sealed record ResourceLogLine(DateTimeOffset Timestamp, string ResourceName, string Text, bool IsErrorStream);

/// <summary>Keeps every resource's output lines (bounded per resource) and tells listeners about new ones.</summary>
public sealed class ResourceLoggerService
{
    private const int MaxLinesPerResource = 50_000;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<ResourceLogLine>> _lines = new(StringComparer.OrdinalIgnoreCase);

    public event Action<ResourceLogLine>? LineWritten;

    public IReadOnlyList<ResourceLogLine> GetLines(string resourceName) =>
        _lines.TryGetValue(resourceName, out var lines) ? lines.ToArray() : [];

    public IReadOnlyList<ResourceLogLine> GetAllLines() =>
        _lines.Values.SelectMany(lines => lines).OrderBy(line => line.Timestamp).ToList();

    internal void Write(string resourceName, string text, bool isErrorStream)
    {
        var line = new ResourceLogLine(DateTimeOffset.UtcNow, resourceName, text, isErrorStream);
        var lines = _lines.GetOrAdd(resourceName, _ => new ConcurrentQueue<ResourceLogLine>());
        lines.Enqueue(line);
        while (lines.Count > MaxLinesPerResource && lines.TryDequeue(out _))
        {
        }
        LineWritten?.Invoke(line);
    }
}
