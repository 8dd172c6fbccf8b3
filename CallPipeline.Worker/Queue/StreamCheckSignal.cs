namespace CallPipeline.Worker.Queue;

/// <summary>Asks the reconciler to check the stream and its group now, rather than at its next interval.</summary>
public sealed class StreamCheckSignal
{
    private readonly SemaphoreSlim _requested = new(0, 1);

    public void Request()
    {
        try
        {
            _requested.Release();
        }
        catch (SemaphoreFullException)
        {
        }
    }

    /// <summary>Returns when requested or after <paramref name="timeout"/>, whichever is first.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => await _requested.WaitAsync(timeout, cancellationToken);
}
