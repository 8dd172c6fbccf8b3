namespace CallPipeline.Voice.Operator;

/// <summary>The operator API's offset paging: <c>page</c> from 1, <c>pageSize</c> up to <see cref="MaxPageSize"/>.</summary>
public static class Paging
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;
    /// <summary>Offset paging this deep is never an operator looking; it is bounded so the offset cannot overflow.</summary>
    public const int MaxPage = 10_000;

    /// <returns>The refused parameters by name; empty when both are in range.</returns>
    public static Dictionary<string, string[]> Validate(int page, int pageSize)
    {
        var errors = new Dictionary<string, string[]>();
        if (page is < 1 or > MaxPage)
        {
            errors["page"] = [$"page is between 1 and {MaxPage}."];
        }
        if (pageSize is < 1 or > MaxPageSize)
        {
            errors["pageSize"] = [$"pageSize is between 1 and {MaxPageSize}."];
        }
        return errors;
    }
}
