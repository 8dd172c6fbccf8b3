namespace CallPipeline.Benchmarks.Reports;

/// <summary>One resource's processes and their memory: resident (RSS, shared pages in each process) and proportional (PSS, shared pages once).</summary>
public sealed record ResourceMemory(string Resource, int Processes, double RssMiB, double PssMiB);
