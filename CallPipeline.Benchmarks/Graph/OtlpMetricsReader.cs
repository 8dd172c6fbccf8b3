using Google.Protobuf;

namespace CallPipeline.Benchmarks.Graph;

/// <summary>One histogram data point of an OTLP export, as far as the benchmark needs it.</summary>
public sealed record HistogramPoint(string Metric, ulong TimeUnixNano, IReadOnlyList<long> BucketCounts, IReadOnlyList<double> Bounds, double Max);

/// <summary>
/// Reads the histogram points out of an OTLP/HTTP <c>ExportMetricsServiceRequest</c> (protobuf), walking only the fields
/// it needs with Google.Protobuf's wire reader. By hand because no maintained NuGet package ships the OTLP message
/// types for .NET (the OpenTelemetry exporter writes them with an internal serializer); field numbers are those of
/// opentelemetry/proto/metrics/v1/metrics.proto.
/// </summary>
public static class OtlpMetricsReader
{
    public static List<HistogramPoint> ReadHistograms(byte[] exportRequest)
    {
        var points = new List<HistogramPoint>();
        foreach (var resourceMetrics in Messages(exportRequest, 1))
        {
            foreach (var scopeMetrics in Messages(resourceMetrics, 2))
            {
                foreach (var metric in Messages(scopeMetrics, 2))
                {
                    ReadMetric(metric, points);
                }
            }
        }
        return points;
    }

    private static void ReadMetric(byte[] metric, List<HistogramPoint> points)
    {
        var name = "";
        var histograms = new List<byte[]>();
        var input = new CodedInputStream(metric);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1:
                    name = input.ReadString();
                    break;
                case 9:
                    histograms.Add(input.ReadBytes().ToByteArray());
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }
        foreach (var dataPoint in histograms.SelectMany(h => Messages(h, 1)))
        {
            points.Add(ReadDataPoint(name, dataPoint));
        }
    }

    private static HistogramPoint ReadDataPoint(string metric, byte[] dataPoint)
    {
        ulong time = 0;
        double max = 0;
        var counts = new List<long>();
        var bounds = new List<double>();
        var input = new CodedInputStream(dataPoint);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var packed = WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited;
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 3:
                    time = input.ReadFixed64();
                    break;
                case 6:
                    ReadRepeated(input, packed, values => counts.Add((long)values.ReadFixed64()));
                    break;
                case 7:
                    ReadRepeated(input, packed, values => bounds.Add(values.ReadDouble()));
                    break;
                case 12:
                    max = input.ReadDouble();
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }
        return new HistogramPoint(metric, time, counts, bounds, max);
    }

    private static void ReadRepeated(CodedInputStream input, bool packed, Action<CodedInputStream> readOne)
    {
        if (!packed)
        {
            readOne(input);
            return;
        }
        var values = new CodedInputStream(input.ReadBytes().ToByteArray());
        while (!values.IsAtEnd)
        {
            readOne(values);
        }
    }

    /// <summary>The embedded messages of one repeated field.</summary>
    private static IEnumerable<byte[]> Messages(byte[] message, int field)
    {
        var input = new CodedInputStream(message);
        uint tag;
        var found = new List<byte[]>();
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == field && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
            {
                found.Add(input.ReadBytes().ToByteArray());
            }
            else
            {
                input.SkipLastField();
            }
        }
        return found;
    }
}
