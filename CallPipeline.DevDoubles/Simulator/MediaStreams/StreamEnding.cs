namespace CallPipeline.DevDoubles.Simulator.MediaStreams;

/// <summary>Why a Media Stream ended.</summary>
public enum StreamEnding
{
    CallerHungUp,
    GatewayClosed,
    HungUpThroughApi,
    MaxDurationReached,
    HandshakeFailed,
}
