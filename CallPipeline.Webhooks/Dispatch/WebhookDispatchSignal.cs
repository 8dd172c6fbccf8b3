using System.Threading.Channels;

namespace CallPipeline.Webhooks.Dispatch;

/// <summary>
/// Wakes the dispatcher in this process as soon as a delivery is committed, so the first attempt does not wait for the
/// next poll (up to <see cref="WebhookDispatcherOptions.PollInterval"/>). Polling goes on regardless: it finds retries
/// falling due and deliveries other processes committed.
/// </summary>
public sealed class WebhookDispatchSignal
{
    private readonly Channel<bool> _channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Notify() => _channel.Writer.TryWrite(true);

    /// <summary>Returns when notified or after <paramref name="timeout"/> on <paramref name="time"/>, whichever is first.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        using var timer = new CancellationTokenSource(timeout, time);
        using var wake = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, cancellationToken);
        try
        {
            await _channel.Reader.ReadAsync(wake.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
    }
}
