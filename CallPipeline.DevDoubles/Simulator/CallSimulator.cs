using System.Threading.Channels;
using CallPipeline.DevDoubles.Twilio.Calls;

namespace CallPipeline.DevDoubles.Simulator;

/// <summary>
/// Runs every placed call in the background, many at once, and lets running calls finish (within the host's shutdown
/// timeout) when the double stops.
/// </summary>
public sealed partial class CallSimulator(SimulatedCalls calls, SimulatedCallRunner runner, ILogger<CallSimulator> logger) : BackgroundService, ICallCarrier
{
    private readonly Channel<SimulatedCall> _placed = Channel.CreateUnbounded<SimulatedCall>();

    public void Place(SimulatedCall call)
    {
        calls.Add(call);
        call.Record("placed", call.Direction);
        _placed.Writer.TryWrite(call);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var running = new List<Task>();
        try
        {
            await foreach (var call in _placed.Reader.ReadAllAsync(stoppingToken))
            {
                running.RemoveAll(task => task.IsCompleted);
                running.Add(RunAsync(call, stoppingToken));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await Task.WhenAll(running);
    }

    private async Task RunAsync(SimulatedCall call, CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            await runner.RunAsync(call, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            call.Fail("the double stopped during the call");
        }
        catch (Exception ex)
        {
            call.Fail(ex.Message);
            LogCallCrashed(logger, call.CallSid, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Twilio double: simulated call {CallSid} broke off")]
    private static partial void LogCallCrashed(ILogger logger, string callSid, Exception exception);
}
