namespace CallPipeline.OperatorConsole.OperatorApi;

public enum ApiFailure
{
    /// <summary>The voice gateway did not answer (down, or too slow).</summary>
    Unreachable,
    /// <summary>The operator key was refused: it changed since sign-in.</summary>
    KeyRefused,
    NotFound,
    /// <summary>The API refused the request (validation, conflict); its ProblemDetails say why.</summary>
    Refused,
}

/// <summary>A problem the page shows: what failed, in the API's own words where it gave some.</summary>
public sealed record ApiError(ApiFailure Failure, string Title, string? Detail = null, IReadOnlyDictionary<string, string[]>? Errors = null)
{
    public string Message => Errors is { Count: > 0 }
        ? string.Join(" ", Errors.SelectMany(e => e.Value))
        : Detail is null ? Title : $"{Title}: {Detail}";
}

/// <summary>An operator API answer: the value, or why there is none.</summary>
public sealed record ApiResult<T>(T? Value, ApiError? Error)
{
    public bool Succeeded => Error is null;
}
