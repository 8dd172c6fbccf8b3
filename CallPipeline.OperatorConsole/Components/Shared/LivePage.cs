using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;

namespace CallPipeline.OperatorConsole.Components.Shared;

/// <summary>
/// A page that follows work in progress: while it is open it loads again every <c>Console:RefreshInterval</c>, as
/// long as <see cref="IsMoving"/> says there is something to follow, and its API calls stop when it is left.
/// </summary>
public abstract class LivePage : ComponentBase, IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();

    [Inject]
    private IOptions<ConsoleOptions> Options { get; set; } = default!;

    /// <summary>Cancelled when the page is left.</summary>
    protected CancellationToken Stopping => _stopping.Token;

    /// <summary>Whether what the page shows may still change; a settled page stops asking.</summary>
    protected virtual bool IsMoving => true;

    protected abstract Task LoadAsync();

    protected void FollowWhileOpen() => _ = FollowAsync();

    private async Task FollowAsync()
    {
        using var timer = new PeriodicTimer(Options.Value.RefreshInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                if (!IsMoving)
                {
                    continue;
                }
                await InvokeAsync(async () =>
                {
                    await LoadAsync();
                    StateHasChanged();
                });
            }
        }
        catch (OperationCanceledException)
        {
            // The page was left.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _stopping.Dispose();
        GC.SuppressFinalize(this);
    }
}
