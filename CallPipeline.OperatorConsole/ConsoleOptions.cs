using System.ComponentModel.DataAnnotations;

namespace CallPipeline.OperatorConsole;

/// <summary>The <c>Console</c> configuration section.</summary>
public sealed class ConsoleOptions
{
    public const string SectionName = "Console";
    public static readonly TimeSpan DefaultSessionLifetime = TimeSpan.FromHours(8);

    /// <summary>The voice gateway, whose operator API the console calls; a service-discovery name by default.</summary>
    [Required]
    public Uri OperatorApiUrl { get; set; } = new("https+http://voice");

    /// <summary>How often a page showing work in progress asks the API again (the calls list, a call being processed).</summary>
    [Range(typeof(TimeSpan), "00:00:00.200", "00:10:00")]
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a sign-in lasts without use (sliding).</summary>
    public TimeSpan SessionLifetime { get; set; } = DefaultSessionLifetime;
}
