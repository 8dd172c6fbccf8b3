using CallPipeline.Worker.Queue;

namespace CallPipeline.Worker.Pipeline;

public static class TemporaryDirectory
{
    public static string Of(WorkerOptions options) =>
        string.IsNullOrWhiteSpace(options.TempDirectory) ? Path.Combine(Path.GetTempPath(), "callpipeline-worker") : options.TempDirectory;
}
