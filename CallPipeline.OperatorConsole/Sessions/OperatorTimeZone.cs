using Microsoft.JSInterop;

namespace CallPipeline.OperatorConsole.Sessions;

/// <summary>
/// The time zone of the operator's browser, read once per circuit, so every time is shown as the operator's clock
/// shows it; UTC until it is known.
/// </summary>
public sealed class OperatorTimeZone(IJSRuntime js, ILogger<OperatorTimeZone> logger)
{
    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;

    public async Task LoadAsync()
    {
        var id = await js.InvokeAsync<string?>("callPipelineConsole.timeZone");
        if (string.IsNullOrEmpty(id))
        {
            return;
        }
        if (TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone))
        {
            Zone = zone;
        }
        else
        {
            logger.LogWarning("The browser's time zone {TimeZone} is unknown here; times are shown in UTC", id);
        }
    }

    public DateTimeOffset ToLocal(DateTimeOffset time) => TimeZoneInfo.ConvertTime(time, Zone);

    public string Format(DateTimeOffset time) => ToLocal(time).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A <c>datetime-local</c> input's value, read on the operator's clock.</summary>
    public DateTimeOffset FromLocal(DateTime local)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        return new DateTimeOffset(unspecified, Zone.GetUtcOffset(unspecified));
    }

    public string ZoneId => Zone.Id;
}
