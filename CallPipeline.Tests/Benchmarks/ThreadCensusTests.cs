extern alias benchmarks;

using System.Diagnostics;
using benchmarks::CallPipeline.Benchmarks.Measurement;

namespace CallPipeline.Tests.Benchmarks;

/// <summary>
/// The gateway benchmark splits a server's CPU by thread: each thread's CPU and context switches, as Linux reports
/// them, over a stretch of time, threads of one name together.
/// </summary>
public sealed class ThreadCensusTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public void A_thread_that_works_and_sleeps_shows_its_CPU_and_its_sleeps_under_its_name()
    {
        const int Sleeps = 20;
        using var sampled = new ManualResetEventSlim();
        using var worked = new ManualResetEventSlim();
        var probe = new Thread(() =>
        {
            for (var i = 0; i < Sleeps; i++)
            {
                var until = Stopwatch.GetTimestamp() + (Stopwatch.Frequency / 50);
                while (Stopwatch.GetTimestamp() < until)
                {
                }
                Thread.Sleep(2);
            }
            worked.Set();
            // Alive until the second sample: a thread that has ended is in no sample.
            sampled.Wait(TimeSpan.FromSeconds(30));
        }) { Name = "census-probe", IsBackground = true };
        var before = ThreadCensus.Sample(Environment.ProcessId);
        var started = Stopwatch.GetTimestamp();
        probe.Start();
        Assert.True(worked.Wait(TimeSpan.FromSeconds(30)), "the probe thread's work");
        var after = ThreadCensus.Sample(Environment.ProcessId);
        var elapsed = Stopwatch.GetElapsedTime(started);
        sampled.Set();

        var load = Assert.Single(ThreadCensus.Between(before, after, elapsed), group => group.Name == "census-probe");
        Assert.Equal(1, load.Threads);
        Assert.True(load.CpuPercent > 10, $"CPU {load.CpuPercent:0.0} %");
        Assert.True(load.VoluntarySwitchesPerSecond * elapsed.TotalSeconds >= Sleeps, $"{load.VoluntarySwitchesPerSecond * elapsed.TotalSeconds:0} sleeps");
    }

    [Fact]
    public void Threads_of_one_name_count_together_busiest_first_and_a_thread_started_in_between_counts_from_zero()
    {
        var before = new Dictionary<int, ThreadSample>
        {
            [1] = new("socket", 100, 10, 1),
            [2] = new("worker", 5, 2, 2),
        };
        var after = new Dictionary<int, ThreadSample>
        {
            [1] = new("socket", 150, 30, 1),
            [2] = new("worker", 7, 3, 12),
            [3] = new("worker", 4, 1, 0),
        };

        var loads = ThreadCensus.Between(before, after, Second);

        Assert.Equal(
            [new ThreadGroupLoad("socket", 1, 50, 20, 0), new ThreadGroupLoad("worker", 2, 6, 2, 10)],
            loads);
    }
}
