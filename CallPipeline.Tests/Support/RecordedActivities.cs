using System.Collections.Concurrent;
using System.Diagnostics;
using CallPipeline.Data.Tracing;

namespace CallPipeline.Tests.Support;

/// <summary>
/// Every span the named sources end while this is alive, recorded in full as the OpenTelemetry SDK would sample them.
/// Listeners are process-wide and other tests run hosts at the same time, so tests pick their spans by trace id or CallSid.
/// </summary>
internal sealed class RecordedActivities : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly ConcurrentQueue<Activity> _stopped = new();

    public RecordedActivities(params string[] sourceNames)
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => sourceNames.Contains(source.Name),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public IReadOnlyList<Activity> Stopped => [.. _stopped];

    /// <summary>The first ended span that matches, waiting for it within the usual deadline.</summary>
    public async Task<Activity> WaitForAsync(Func<Activity, bool> match, string what) =>
        (await Eventually.ReturnsAsync(() => Task.FromResult(_stopped.FirstOrDefault(match)), span => span is not null, what))!;

    /// <summary>The span called <paramref name="name"/> about <paramref name="callSid"/>, waiting for it to end.</summary>
    public Task<Activity> WaitForCallSpanAsync(string name, string callSid) =>
        WaitForAsync(s => s.OperationName == name && s.GetTagItem(TraceTags.CallSid) as string == callSid, $"the {name} span of {callSid} ends");

    public void Dispose() => _listener.Dispose();
}
