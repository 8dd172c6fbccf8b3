namespace CallPipeline.Tests.Graph;

/// <summary>
/// Whole graphs start one at a time. A start keeps both cores of a CI machine busy for a minute or more; the shared
/// graph and an AppHost process starting together pushed the AppHost's past a 4-minute budget.
/// </summary>
public static class GraphStartTurn
{
    /// <summary>Generous: a graph starts while the rest of the suite keeps a 2-core machine busy.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(6);

    private static readonly SemaphoreSlim Turn = new(1, 1);

    /// <summary>Waits while another graph starts (at most one start budget); disposing the turn lets the next one start.</summary>
    public static async Task<IDisposable> TakeAsync()
    {
        if (!await Turn.WaitAsync(StartTimeout))
        {
            throw new TimeoutException($"Another graph held the start turn for more than {StartTimeout.TotalMinutes:0} minutes.");
        }
        return new Release();
    }

    private sealed class Release : IDisposable
    {
        public void Dispose() => Turn.Release();
    }
}
