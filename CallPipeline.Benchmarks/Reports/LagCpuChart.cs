using System.Globalization;
using System.Text;

namespace CallPipeline.Benchmarks.Reports;

/// <summary>
/// The gateway benchmark as an SVG: frame lag p99 (log scale, with the 20 ms target) and CPU against concurrent calls,
/// one line per target. Drawn here, so the chart needs nothing but the JSON it comes from.
/// </summary>
public static class LagCpuChart
{
    private const int PanelWidth = 420;
    private const int PanelHeight = 260;
    private const int Margin = 55;
    private static readonly string[] Colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"];

    public static string Render(GatewayReport report)
    {
        var targets = report.Levels.Select(l => l.Target).Distinct().ToList();
        var calls = report.Levels.Select(l => l.Calls).Distinct().Order().ToList();
        var width = (2 * PanelWidth) + (3 * Margin);
        var height = PanelHeight + (2 * Margin) + 30;
        var svg = new StringBuilder();
        svg.AppendLine(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="11">""");
        svg.AppendLine(CultureInfo.InvariantCulture, $"""<rect width="{width}" height="{height}" fill="white"/>""");

        var lagMax = Math.Max(100, report.Levels.Select(l => l.FrameLagP99Ms).DefaultIfEmpty(1).Max());
        var lagTop = Math.Pow(10, Math.Ceiling(Math.Log10(lagMax)));
        double LagY(double ms) => Margin + PanelHeight - (PanelHeight * (Math.Log10(Math.Max(ms, 0.1)) + 1) / (Math.Log10(lagTop) + 1));
        Panel(svg, Margin, "frame lag p99 (ms, log)", calls, targets, report, l => l.FrameLagP99Ms, LagY,
            [0.1, 1, 10, 100, 1000, 10000, 100000], lagTop, GatewayReport.LagTargetMs);

        var cpuTop = Math.Max(100, Math.Ceiling(report.Levels.Select(l => l.CpuPercent).DefaultIfEmpty(0).Max() / 50) * 50);
        double CpuY(double percent) => Margin + PanelHeight - (PanelHeight * percent / cpuTop);
        Panel(svg, (2 * Margin) + PanelWidth, "CPU (% of one core)", calls, targets, report, l => l.CpuPercent, CpuY,
            [.. Enumerable.Range(0, (int)(cpuTop / 50) + 1).Select(i => i * 50.0)], cpuTop, null);

        for (var t = 0; t < targets.Count; t++)
        {
            var x = Margin + (t * 160);
            var y = height - 18;
            svg.AppendLine(CultureInfo.InvariantCulture, $"""<line x1="{x}" y1="{y}" x2="{x + 24}" y2="{y}" stroke="{Colors[t % Colors.Length]}" stroke-width="2.5"/><text x="{x + 30}" y="{y + 4}">{targets[t]}</text>""");
        }
        svg.AppendLine("</svg>");
        return svg.ToString();
    }

    private static void Panel(StringBuilder svg, int left, string title, List<int> calls, List<string> targets, GatewayReport report,
        Func<LevelMeasurement, double> value, Func<double, double> y, double[] ticks, double top, double? targetLine)
    {
        double X(int level) => left + (calls.Count == 1 ? PanelWidth / 2.0 : PanelWidth * calls.IndexOf(level) / (calls.Count - 1.0));
        svg.AppendLine(CultureInfo.InvariantCulture, $"""<text x="{left}" y="{Margin - 12}" font-weight="bold">{title} against concurrent calls</text>""");
        svg.AppendLine(CultureInfo.InvariantCulture, $"""<rect x="{left}" y="{Margin}" width="{PanelWidth}" height="{PanelHeight}" fill="none" stroke="#999"/>""");
        foreach (var tick in ticks.Where(t => t <= top))
        {
            var ty = y(tick);
            svg.AppendLine(CultureInfo.InvariantCulture, $"""<line x1="{left}" y1="{ty:0.#}" x2="{left + PanelWidth}" y2="{ty:0.#}" stroke="#eee"/><text x="{left - 6}" y="{ty + 4:0.#}" text-anchor="end">{tick:0.#}</text>""");
        }
        foreach (var level in calls)
        {
            svg.AppendLine(CultureInfo.InvariantCulture, $"""<text x="{X(level):0.#}" y="{Margin + PanelHeight + 16}" text-anchor="middle">{level}</text>""");
        }
        if (targetLine is { } line)
        {
            var ly = y(line);
            svg.AppendLine(CultureInfo.InvariantCulture, $"""<line x1="{left}" y1="{ly:0.#}" x2="{left + PanelWidth}" y2="{ly:0.#}" stroke="#888" stroke-dasharray="5,4"/><text x="{left + PanelWidth - 4}" y="{ly - 4:0.#}" text-anchor="end" fill="#666">target {line} ms</text>""");
        }
        for (var t = 0; t < targets.Count; t++)
        {
            var points = report.Levels.Where(l => l.Target == targets[t]).OrderBy(l => l.Calls)
                .Select(l => string.Create(CultureInfo.InvariantCulture, $"{X(l.Calls):0.#},{y(value(l)):0.#}")).ToList();
            svg.AppendLine(CultureInfo.InvariantCulture, $"""<polyline points="{string.Join(' ', points)}" fill="none" stroke="{Colors[t % Colors.Length]}" stroke-width="2.5"/>""");
            foreach (var point in points)
            {
                var (px, py) = (point.Split(',')[0], point.Split(',')[1]);
                svg.AppendLine(CultureInfo.InvariantCulture, $"""<circle cx="{px}" cy="{py}" r="3" fill="{Colors[t % Colors.Length]}"/>""");
            }
        }
        svg.AppendLine(CultureInfo.InvariantCulture, $"""<text x="{left + (PanelWidth / 2)}" y="{Margin + PanelHeight + 32}" text-anchor="middle">concurrent calls</text>""");
    }
}
