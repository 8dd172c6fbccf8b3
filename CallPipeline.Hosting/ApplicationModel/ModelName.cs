using System.Text.RegularExpressions;

namespace CallPipeline.Hosting.ApplicationModel;

/// <summary>Aspire's rule for resource names: ASCII letters, digits and single hyphens, starting with a letter, at most 64.</summary>
internal static partial class ModelName
{
    public static string Validate(string name) =>
        ValidName().IsMatch(name) && !name.Contains("--") && name.Length <= 64
            ? name
            : throw new ArgumentException($"'{name}' is not a valid resource name: use letters, digits and single hyphens, starting with a letter, at most 64 characters.", nameof(name));

    [GeneratedRegex("^[a-zA-Z]([a-zA-Z0-9-]*[a-zA-Z0-9])?$")]
    private static partial Regex ValidName();
}
