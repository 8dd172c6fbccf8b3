namespace CallPipeline.OperatorConsole.Sessions;

/// <summary>
/// A new business's webhook secret, between the form that created it and the business's page that shows it once.
/// Per circuit (one operator's tab), in memory only, and gone once shown.
/// </summary>
public sealed class NewWebhookSecrets
{
    private readonly Dictionary<int, string> _secrets = [];

    public void Keep(int businessId, string secret) => _secrets[businessId] = secret;

    public string? Take(int businessId) => _secrets.Remove(businessId, out var secret) ? secret : null;
}
