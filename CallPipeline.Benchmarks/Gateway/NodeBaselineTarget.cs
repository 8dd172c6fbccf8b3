using System.Diagnostics;
using CallPipeline.Benchmarks.Measurement;
using CallPipeline.Benchmarks.Reports;

namespace CallPipeline.Benchmarks.Gateway;

/// <summary>
/// The baseline: the minimal Node.js server of <c>baseline/server.js</c> (npm <c>ws</c>, JSON.parse, base64, append to
/// a file per call). Its packages are installed with <c>npm ci</c> from the committed lock file into the work folder.
/// </summary>
public sealed class NodeBaselineTarget(string workDirectory) : BaselineServerTarget(workDirectory)
{
    public override string Name => GatewayReport.NodeBaselineName;

    /// <summary>Null when node and npm are on the PATH; otherwise why the baseline cannot run.</summary>
    public static string? Unavailable() =>
        FindOnPath("node") is null || FindOnPath("npm") is null ? "node and npm are not installed (apt-get install nodejs npm)" : null;

    protected override async Task<ServerProcess> StartServerAsync(IReadOnlyDictionary<string, string> environment, string outputFile, CancellationToken cancellationToken)
    {
        var app = Path.Combine(WorkDirectory, "app");
        Directory.CreateDirectory(app);
        foreach (var file in new[] { "server.js", "package.json", "package-lock.json" })
        {
            File.Copy(Path.Combine(AppContext.BaseDirectory, "baseline", file), Path.Combine(app, file), overwrite: true);
        }
        await RunNpmCiAsync(app, cancellationToken);
        return ServerProcess.Start(FindOnPath("node")!, ["server.js"], app, environment, outputFile);
    }

    private static async Task RunNpmCiAsync(string app, CancellationToken cancellationToken)
    {
        var npm = new ProcessStartInfo(FindOnPath("npm")!, ["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        {
            WorkingDirectory = app, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var process = Process.Start(npm)!;
        var output = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"npm ci failed ({process.ExitCode}): {await output}");
        }
    }

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists);
}
