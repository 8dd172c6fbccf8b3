using System.Runtime.CompilerServices;
using System.Text;

namespace CallPipeline.Hosting.ApplicationModel;

/// <summary>
/// A string made of literals and values resolved later, e.g. a connection string. Written to the manifest as
/// expressions (<c>{pg.bindings.tcp.port}</c>) and resolved to real values in run mode.
/// </summary>
public sealed class ReferenceExpression : IManifestExpressionProvider, IValueProvider
{
    private readonly IReadOnlyList<object> _parts;

    private ReferenceExpression(IReadOnlyList<object> parts) => _parts = parts;

    /// <summary>The values this expression depends on, for finding referenced resources.</summary>
    public IEnumerable<IManifestExpressionProvider> ValueProviders => _parts.OfType<IManifestExpressionProvider>();

    public string ValueExpression =>
        string.Concat(_parts.Select(part => part is IManifestExpressionProvider provider ? provider.ValueExpression : (string)part));

    public async ValueTask<string?> GetValueAsync(CancellationToken cancellationToken = default)
    {
        var builder = new StringBuilder();
        foreach (var part in _parts)
        {
            builder.Append(part is IValueProvider provider ? await provider.GetValueAsync(cancellationToken) : (string)part);
        }
        return builder.ToString();
    }

    public static ReferenceExpression Create(in ExpressionInterpolatedStringHandler handler) => new(handler.Parts);

    public static ReferenceExpression FromLiteral(string value) => new([value]);

    public static ReferenceExpression FromProvider<T>(T provider) where T : IManifestExpressionProvider, IValueProvider => new([provider]);

    [InterpolatedStringHandler]
    public readonly ref struct ExpressionInterpolatedStringHandler
    {
        private readonly List<object> _parts;

        public ExpressionInterpolatedStringHandler(int literalLength, int formattedCount) => _parts = new List<object>(formattedCount * 2 + 1);

        internal List<object> Parts => _parts;

        public void AppendLiteral(string value) => _parts.Add(value);

        public void AppendFormatted(string? value) => _parts.Add(value ?? "");

        public void AppendFormatted<T>(T value) where T : IManifestExpressionProvider, IValueProvider => _parts.Add(value);
    }
}
