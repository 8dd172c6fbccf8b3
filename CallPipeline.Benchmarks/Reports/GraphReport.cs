using System.Globalization;
using System.Text;
using CallPipeline.Benchmarks.Measurement;

namespace CallPipeline.Benchmarks.Reports;

/// <summary>How long the graph took to have every resource up, and its idle memory by resource.</summary>
public sealed record GraphReport(
    DateTimeOffset Started,
    MachineInfo Machine,
    bool Quick,
    double LoadAverage,
    string StartedBy,
    double UpSeconds,
    double IdleSeconds,
    IReadOnlyList<ResourceMemory> Resources)
{
    public string MarkdownTable()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Every resource up (healthy; the migrator finished) **{UpSeconds:0.0} s** after {StartedBy} started.");
        text.AppendLine();
        text.AppendLine("| resource | processes | RSS MiB | PSS MiB |");
        text.AppendLine("| --- | --- | --- | --- |");
        foreach (var resource in Resources)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {resource.Resource} | {resource.Processes} | {resource.RssMiB:#,0} | {resource.PssMiB:#,0} |");
        }
        text.AppendLine(CultureInfo.InvariantCulture, $"| **total** | {Resources.Sum(r => r.Processes)} | {Resources.Sum(r => r.RssMiB):#,0} | {Resources.Sum(r => r.PssMiB):#,0} |");
        return text.ToString();
    }

    /// <summary>The resources Aspire runs as projects each hold a <c>dotnet run</c> host besides the service.</summary>
    public const string ProjectNote = "A project resource (voice, worker, …) is two processes: Aspire starts it with `dotnet run --no-build`, which stays up as the service's parent.";
}
