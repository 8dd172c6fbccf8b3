using Microsoft.Extensions.Options;

namespace CallPipeline.WebhookReceiver.Hooks;

/// <summary>In-memory record of what each hook received, deduplicated by webhook-id.</summary>
public sealed class ReceivedWebhookStore(IOptionsMonitor<ReceiverOptions> options)
{
    private readonly Dictionary<string, Hook> _hooks = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Counts a correctly signed arrival of <paramref name="webhookId"/>; returns its 1-based attempt number.</summary>
    public int CountAttempt(string hook, string webhookId)
    {
        lock (_lock)
        {
            var attempts = GetHook(hook).Attempts;
            var count = attempts.GetValueOrDefault(webhookId) + 1;
            attempts[webhookId] = count;
            return count;
        }
    }

    /// <returns>Whether the webhook-id was new for the hook; a duplicate is not stored again, and one with another body is counted.</returns>
    public WebhookAcceptance Accept(string hook, ReceivedWebhook webhook)
    {
        lock (_lock)
        {
            var state = GetHook(hook);
            if (state.Accepted.TryGetValue(webhook.Id, out var stored))
            {
                if (stored.Body == webhook.Body)
                {
                    return WebhookAcceptance.Duplicate;
                }
                state.Accepted[webhook.Id] = stored with { OtherBodiesSeen = stored.OtherBodiesSeen + 1 };
                return WebhookAcceptance.DuplicateWithOtherBody;
            }
            state.Accepted.Add(webhook.Id, webhook);

            state.Order.Enqueue(webhook.Id);
            while (state.Order.Count > options.CurrentValue.MaxDeliveriesPerHook)
            {
                var oldest = state.Order.Dequeue();
                state.Accepted.Remove(oldest);
                state.Attempts.Remove(oldest);
            }
            return WebhookAcceptance.Stored;
        }
    }

    /// <summary>Accepted webhooks in arrival order, with their current attempt counts.</summary>
    public IReadOnlyList<ReceivedWebhook> List(string hook)
    {
        lock (_lock)
        {
            if (!_hooks.TryGetValue(hook, out var state))
            {
                return [];
            }
            return [.. state.Order.Select(id => state.Accepted[id] with { AttemptsSeen = state.Attempts.GetValueOrDefault(id) })];
        }
    }

    private Hook GetHook(string name)
    {
        if (!_hooks.TryGetValue(name, out var hook))
        {
            hook = new Hook();
            _hooks[name] = hook;
        }
        return hook;
    }

    private sealed class Hook
    {
        public Dictionary<string, ReceivedWebhook> Accepted { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, int> Attempts { get; } = new(StringComparer.Ordinal);
        public Queue<string> Order { get; } = new();
    }
}
