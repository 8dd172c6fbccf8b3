namespace CallPipeline.Tests.DevDoubles.Twilio.Support;

/// <summary>A form POST the double made to the fake gateway, with whether its X-Twilio-Signature validated.</summary>
internal sealed record GatewayRequest(
    string Path,
    IReadOnlyList<KeyValuePair<string, string>> Form,
    bool SignatureValid,
    string? IdempotencyToken,
    DateTimeOffset ReceivedAt)
{
    public string this[string name] => Form.Single(p => p.Key == name).Value;

    public bool Has(string name) => Form.Any(p => p.Key == name);

    public IEnumerable<string> Names => Form.Select(p => p.Key);
}
