using CallPipeline.Data.Entities;

namespace CallPipeline.Voice.DeadLetters;

/// <summary>
/// A dead letter as the operator sees it: what gave up (a call's recording job or one of its webhook deliveries), why,
/// after how many attempts, when it first and last failed, and whether it was replayed since (<c>open</c> or <c>replayed</c>).
/// </summary>
public sealed record DeadLetterRecord(
    long Id,
    DeadLetterKind Kind,
    string Status,
    string? CallSid,
    int? BusinessId,
    string? RecordingSid,
    string? WebhookId,
    string? EventType,
    string Reason,
    int Attempts,
    DateTimeOffset FirstFailedAt,
    DateTimeOffset LastFailedAt,
    DateTimeOffset DeadLetteredAt,
    DateTimeOffset? ReplayedAt,
    int ReplayCount)
{
    public const string Open = "open";
    public const string Replayed = "replayed";

    public static DeadLetterRecord From(DeadLetter letter) => new(
        letter.Id,
        letter.Kind,
        letter.ReplayedAt is null ? Open : Replayed,
        letter.CallSid,
        letter.BusinessId,
        letter.RecordingSid,
        letter.WebhookDelivery?.WebhookId,
        letter.WebhookDelivery?.EventType,
        letter.Reason,
        letter.Attempts,
        letter.FirstFailedAt,
        letter.LastFailedAt,
        letter.CreatedAt,
        letter.ReplayedAt,
        letter.ReplayCount);
}

/// <summary>A page of dead letters, the latest failure first.</summary>
public sealed record DeadLetterPage(int Page, int PageSize, int Total, IReadOnlyList<DeadLetterRecord> Items);

/// <summary>
/// <c>POST /api/dead-letters/replay</c>: the open dead letters to replay, by business, kind and when they last failed
/// (<c>from</c> inclusive, <c>to</c> exclusive), at most <paramref name="Limit"/> per request.
/// </summary>
public sealed record BulkReplayRequest(int? BusinessId = null, DeadLetterKind? Kind = null, DateTimeOffset? From = null, DateTimeOffset? To = null, int? Limit = null);

/// <summary>What a bulk replay did: the dead letters replayed, those it could not replay and why, and how many match still.</summary>
public sealed record BulkReplayResult(IReadOnlyList<long> Replayed, IReadOnlyList<SkippedReplay> Skipped, int Remaining);

public sealed record SkippedReplay(long Id, string Reason);
