using CallPipeline.Data.Entities;

namespace CallPipeline.Voice.Operator;

/// <summary>One line of the call list (<c>GET /api/calls</c>); fields are only ever added at the end.</summary>
public sealed record CallSummaryRecord(
    string CallSid,
    int? BusinessId,
    CallDirection Direction,
    string? From,
    string? To,
    string? CallStatus,
    PipelineStatus PipelineStatus,
    DateTimeOffset StartedAt,
    int? DurationSeconds,
    string? RecordingSid,
    string? ErrorReason,
    string? BusinessName);

/// <summary>A page of calls, newest first.</summary>
public sealed record CallPage(int Page, int PageSize, int Total, IReadOnlyList<CallSummaryRecord> Items);
