using System.Globalization;
using System.Text;
using CallPipeline.Benchmarks.Measurement;

namespace CallPipeline.Benchmarks.Reports;

public sealed record HotPathResult(string Name, double MeanNanoseconds, long AllocatedBytes);

/// <summary>The hot-path benchmark's results: nanoseconds and bytes allocated per media frame.</summary>
public sealed record HotPathReport(DateTimeOffset Started, MachineInfo Machine, bool Quick, double LoadAverage, IReadOnlyList<HotPathResult> Results)
{
    public string MarkdownTable()
    {
        var text = new StringBuilder();
        text.AppendLine("| per media frame | ns | bytes allocated |");
        text.AppendLine("| --- | --- | --- |");
        foreach (var result in Results)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {result.Name} | {result.MeanNanoseconds:#,0} | {result.AllocatedBytes:#,0} |");
        }
        return text.ToString();
    }
}
