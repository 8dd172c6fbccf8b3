using Microsoft.Extensions.Options;

namespace CallPipeline.WebhookReceiver.Faults;

/// <summary>The faults in force: from configuration until replaced through the control endpoint.</summary>
public sealed class FaultInjector(IOptionsMonitor<FaultSettings> configured)
{
    private FaultSettings? _override;

    public FaultSettings Current => Volatile.Read(ref _override) ?? configured.CurrentValue;

    public void Replace(FaultSettings settings) => Volatile.Write(ref _override, settings);

    public void ResetToConfiguration() => Volatile.Write(ref _override, null);

    /// <summary>Whether this attempt (1-based, per webhook-id) is answered with an injected failure.</summary>
    public static bool ShouldFail(FaultSettings faults, int attempt) =>
        attempt <= faults.FailFirstAttempts || (faults.FailureRate > 0 && Random.Shared.NextDouble() < faults.FailureRate);

    /// <summary>Whether this accepted request is answered only after <see cref="FaultSettings.HangFor"/>.</summary>
    public static bool ShouldHang(FaultSettings faults) =>
        faults.HangRate > 0 && Random.Shared.NextDouble() < faults.HangRate;
}
