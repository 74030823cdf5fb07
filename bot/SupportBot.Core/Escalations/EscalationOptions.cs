using Microsoft.Extensions.Options;

namespace SupportBot.Core.Escalations;

/// <summary>Settings of the <c>Escalation</c> section.</summary>
public sealed class EscalationOptions
{
    public const string Section = "Escalation";

    /// <summary>YAML routing rules (docs/configuration.md); empty means the built-in sample routes.</summary>
    public string? RoutesFile { get; set; }

    /// <summary>How often <see cref="RoutesFile"/> is checked for changes; a valid new version applies without a restart.</summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ReloadInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often SLA timers are checked.</summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan SlaPollInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Base64 key (at least 32 bytes) that signs escalation buttons. Empty: generated once and kept in Redis
    /// (shared by every replica), or per process without Redis.
    /// </summary>
    public string? ActionSigningKey { get; set; }

    public byte[]? SigningKeyBytes
    {
        get
        {
            if (string.IsNullOrWhiteSpace(ActionSigningKey))
            {
                return null;
            }

            var bytes = new byte[ActionSigningKey.Length];
            return Convert.TryFromBase64String(ActionSigningKey.Trim(), bytes, out var written) && written >= 32 ? bytes[..written] : null;
        }
    }

    public static string BuiltInRoutes => Path.Combine(AppContext.BaseDirectory, "samples", "routes", "routes.yaml");

    public string ResolvedRoutesFile => string.IsNullOrWhiteSpace(RoutesFile) ? BuiltInRoutes : Path.GetFullPath(RoutesFile);
}

/// <summary>Loads the routes file at start-up, so a broken file stops the host with its line named.</summary>
internal sealed class EscalationOptionsValidator : IValidateOptions<EscalationOptions>
{
    public ValidateOptionsResult Validate(string? name, EscalationOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.ActionSigningKey) && options.SigningKeyBytes is null)
        {
            return ValidateOptionsResult.Fail("Escalation:ActionSigningKey: must be base64 of at least 32 bytes (e.g. openssl rand -base64 32).");
        }

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
