using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace CallPipeline.WebhookReceiver.Hooks;

/// <summary>
/// The secrets each hook verifies with: <c>Receiver:Secrets:{name}</c>, unless replaced at run time with
/// <c>PUT /hooks/{name}/secret</c>, as a business switches its endpoint to a rotated secret.
/// </summary>
public sealed class HookSecrets(IOptionsMonitor<ReceiverOptions> options)
{
    private readonly ConcurrentDictionary<string, string> _replaced = new(StringComparer.Ordinal);

    public string? For(string hook) =>
        _replaced.TryGetValue(hook, out var secret) ? secret : options.CurrentValue.Secrets.GetValueOrDefault(hook);

    public void Replace(string hook, string secrets) => _replaced[hook] = secrets;
}
