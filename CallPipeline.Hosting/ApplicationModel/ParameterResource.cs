namespace CallPipeline.Hosting.ApplicationModel;

/// <summary>
/// A value supplied from outside: configuration <c>Parameters:{name}</c> (user secrets or the environment variable
/// <c>Parameters__{name}</c>), a generated secret, or a default.
/// </summary>
public sealed class ParameterResource(string name, bool secret) : Resource(name), IManifestExpressionProvider, IValueProvider
{
    private string? _value;

    public bool Secret { get; } = secret;

    /// <summary>How a value is generated when none is configured (run mode), and what the manifest asks azd to generate.</summary>
    public GenerateParameterDefault? Generate { get; init; }

    /// <summary>Used when nothing is configured, and written to the manifest as the default value.</summary>
    public string? DefaultValue { get; init; }

    /// <summary>Used in run mode only, when nothing is configured; never written to the manifest.</summary>
    public Func<string>? LocalDefault { get; set; }

    public string ValueExpression => $"{{{Name}.value}}";

    public bool HasValue => _value is not null;

    public string Value => _value ?? throw new InvalidOperationException($"Parameter '{Name}' has no value yet.");

    internal void SetValue(string value) => _value = value;

    public ValueTask<string?> GetValueAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult<string?>(Value);
}

/// <summary>The generate block of a parameter's manifest default (<c>{"generate": {"minLength": 22}}</c>).</summary>
public sealed record GenerateParameterDefault(int MinLength = 22, bool Special = true);
