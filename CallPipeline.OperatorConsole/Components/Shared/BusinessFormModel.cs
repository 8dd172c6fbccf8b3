using System.ComponentModel.DataAnnotations;
using CallPipeline.OperatorConsole.OperatorApi;

namespace CallPipeline.OperatorConsole.Components.Shared;

/// <summary>A business as its form edits it; the operator API validates the numbers and URLs and says what is wrong.</summary>
public sealed class BusinessFormModel
{
    [Required(ErrorMessage = "A business needs a name.")]
    public string Name { get; set; } = "";

    [Required(ErrorMessage = "A business needs at least one phone number.")]
    public string PhoneNumbers { get; set; } = "";

    public string Region { get; set; } = "IL";
    public string Language { get; set; } = "he";
    public string? Vocabulary { get; set; }
    public string? InboundWebhookUrl { get; set; }
    public string? OutboundWebhookUrl { get; set; }
    public string? GenericWebhookUrl { get; set; }
    public bool Active { get; set; } = true;

    public static BusinessFormModel From(Business business) => new()
    {
        Name = business.Name,
        PhoneNumbers = string.Join('\n', business.PhoneNumbers),
        Region = business.Region,
        Language = business.Language,
        Vocabulary = business.Vocabulary,
        InboundWebhookUrl = business.InboundWebhookUrl,
        OutboundWebhookUrl = business.OutboundWebhookUrl,
        GenericWebhookUrl = business.GenericWebhookUrl,
        Active = business.Active,
    };

    public BusinessChange ToChange() => new(
        Name.Trim(),
        [.. PhoneNumbers.Split(['\n', ',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
        Region.Trim(),
        Language.Trim(),
        Blank(Vocabulary),
        Blank(InboundWebhookUrl),
        Blank(OutboundWebhookUrl),
        Blank(GenericWebhookUrl),
        Active);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
