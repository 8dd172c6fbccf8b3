using CallPipeline.Benchmarks.Measurement;

namespace CallPipeline.Benchmarks.Reports;

/// <summary>
/// One target at one level of concurrent calls. Frame lag is also given by phase: while calls ramp in, while they all
/// stream (the hold), and while they end. Call setup and the server's threads in the hold were first measured on
/// 2026-12-03; results from before have neither. The generator's CPU in the hold (the benchmark's own process: the
/// load generator, Twilio's side, and the AppHost it hosts), all of it and the kernel's part, since 2026-12-03 16:00.
/// </summary>
public sealed record LevelMeasurement(
    string Target,
    int Calls,
    long FramesSent,
    long FramesReceived,
    double FramesPerSecond,
    double FrameLagP50Ms,
    double FrameLagP99Ms,
    double FrameLagMaxMs,
    double RampLagP99Ms,
    double HoldLagP99Ms,
    double EndLagP99Ms,
    double PingRttP50Ms,
    double PingRttP99Ms,
    double CpuPercent,
    double CpuMicrosecondsPerFrame,
    double RssMiB,
    double MemoryPerCallKiB,
    int Finalized,
    int Errors,
    string ErrorKinds,
    double GeneratorLatenessP99Ms,
    double LoadAverage,
    bool Passed,
    string? FailureReason,
    double? CallSetupP99Ms = null,
    IReadOnlyList<ThreadGroupLoad>? Threads = null,
    double? GeneratorCpuPercent = null,
    double? GeneratorKernelCpuPercent = null);
