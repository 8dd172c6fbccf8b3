using CallPipeline.Data.Entities;

namespace CallPipeline.Worker.Audio;

/// <summary>One speaker's stretch of speech, before it is transcribed.</summary>
public sealed record PlannedTurn(SpeakerRole Role, double Start, double End)
{
    public double Duration => End - Start;
}

/// <summary>
/// Groups each channel's speech into turns: stretches of one speaker closer than the turn pause are one turn, unless the
/// other speaker talks during the pause, which ends the turn. Overlapping speech stays on both sides, as two turns.
/// </summary>
public static class TurnPlanner
{
    /// <returns>The turns of both speakers, by start time.</returns>
    public static IReadOnlyList<PlannedTurn> Plan(
        IReadOnlyList<(double Start, double End)> callerSpeech, IReadOnlyList<(double Start, double End)> lineSpeech, double turnPauseSeconds) =>
        Merge(SpeakerRole.Caller, callerSpeech, lineSpeech, turnPauseSeconds)
            .Concat(Merge(SpeakerRole.Line, lineSpeech, callerSpeech, turnPauseSeconds))
            .OrderBy(turn => turn.Start)
            .ThenBy(turn => turn.Role)
            .ToList();

    private static IEnumerable<PlannedTurn> Merge(
        SpeakerRole role, IReadOnlyList<(double Start, double End)> own, IReadOnlyList<(double Start, double End)> other, double turnPauseSeconds)
    {
        PlannedTurn? current = null;
        foreach (var (start, end) in own.OrderBy(s => s.Start))
        {
            if (current is not null
                && start - current.End < turnPauseSeconds
                && !other.Any(o => o.Start < start && o.End > current.End))
            {
                current = current with { End = Math.Max(current.End, end) };
                continue;
            }
            if (current is not null)
            {
                yield return current;
            }
            current = new PlannedTurn(role, start, end);
        }
        if (current is not null)
        {
            yield return current;
        }
    }
}
