namespace CallPipeline.Voice;

public static class PeriodicTimerExtensions
{
    /// <summary>The next tick of a background loop's timer; false once the service is stopping.</summary>
    public static async Task<bool> NextTickAsync(this PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
