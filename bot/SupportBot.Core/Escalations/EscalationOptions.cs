using Microsoft.Extensions.Options;

namespace SupportBot.Core.Escalations;

/// <summary>Settings of the <c>Escalation</c> section.</summary>
public sealed class EscalationOptions
{
    public const string Section = "Escalation";

    /// <summary>YAML routing rules (CONTRACTS.md); empty means the built-in sample routes.</summary>
    public string? RoutesFile { get; set; }

    /// <summary>How often SLA timers are checked.</summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan SlaPollInterval { get; set; } = TimeSpan.FromSeconds(15);

    public static string BuiltInRoutes => Path.Combine(AppContext.BaseDirectory, "samples", "routes", "routes.yaml");

    public string ResolvedRoutesFile => string.IsNullOrWhiteSpace(RoutesFile) ? BuiltInRoutes : Path.GetFullPath(RoutesFile);
}

/// <summary>Loads the routes file at start-up, so a broken file stops the host with its line named.</summary>
internal sealed class EscalationOptionsValidator : IValidateOptions<EscalationOptions>
{
    public ValidateOptionsResult Validate(string? name, EscalationOptions options)
    {
        try
        {
            EscalationRoutes.Load(options.ResolvedRoutesFile);
            return ValidateOptionsResult.Success;
        }
        catch (RoutesException ex)
        {
            return ValidateOptionsResult.Fail($"Escalation:RoutesFile: {ex.Message}");
        }
    }
}
