using System.ComponentModel.DataAnnotations;

namespace SupportBot.Teams;

/// <summary>Settings of the <c>Teams</c> section (docs/configuration.md). Teams is enabled when <see cref="AppId"/> is set.</summary>
public sealed class TeamsOptions : IValidatableObject
{
    public const string Section = "Teams";
    public const string BotFrameworkOpenIdMetadataUrl = "https://login.botframework.com/v1/.well-known/openidconfiguration";
    public const string BotFrameworkTokenEndpoint = "https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token";

    /// <summary>The bot's Microsoft App ID: the audience of inbound tokens and the client id of outbound ones.</summary>
    public string? AppId { get; set; }

    /// <summary>The client secret of the bot registration, for the outbound token.</summary>
    public string? AppPassword { get; set; }

    /// <summary>Set for a single-tenant bot: Entra ID tokens of this tenant are accepted too.</summary>
    public string? TenantId { get; set; }

    public string OpenIdMetadataUrl { get; set; } = BotFrameworkOpenIdMetadataUrl;

    public string TokenEndpoint { get; set; } = BotFrameworkTokenEndpoint;

    /// <summary>Tenant ids allowed to talk to the bot; empty allows any. A list, or one comma-separated value.</summary>
    public IList<string> AllowedTenants { get; } = [];

    /// <summary>
    /// Hosts an activity's <c>serviceUrl</c> may name (the bot sends its token there to reply); <c>*.</c> allows
    /// subdomains. Empty: <see cref="BotFrameworkServiceHosts"/>.
    /// </summary>
    public IList<string> AllowedServiceHosts { get; } = [];

    /// <summary>Microsoft Graph, for escalation responders' group membership; tests point it at a stand-in.</summary>
    public string GraphBaseUrl { get; set; } = "https://graph.microsoft.com/";

    /// <summary>Where the Graph token is asked for; empty: the Entra ID endpoint of <see cref="TenantId"/>.</summary>
    public string? GraphTokenEndpoint { get; set; }

    public string? EffectiveGraphTokenEndpoint =>
        !string.IsNullOrWhiteSpace(GraphTokenEndpoint) ? GraphTokenEndpoint
        : string.IsNullOrWhiteSpace(TenantId) ? null : $"https://login.microsoftonline.com/{TenantId}/oauth2/v2.0/token";

    /// <summary>Activities one tenant may send per minute before it is answered 429 for a while.</summary>
    public int TenantRequestsPerMinute { get; set; } = 6_000;

    /// <summary>
    /// The Bot Framework and Teams service hosts (public cloud, GCC, GCC High, DoD), as Microsoft documents
    /// them for <c>serviceUrl</c>.
    /// </summary>
    public static readonly IReadOnlyList<string> BotFrameworkServiceHosts =
    [
        "smba.trafficmanager.net",
        "*.botframework.com",
        "smba.infra.gcc.teams.microsoft.com",
        "smba.infra.gov.teams.microsoft.us",
        "smba.infra.dod.teams.microsoft.us",
    ];

    /// <summary><see cref="AllowedTenants"/>, or <see cref="TenantId"/> alone when the list is empty (a single-tenant bot).</summary>
    public IReadOnlyList<string> EffectiveAllowedTenants =>
        AllowedTenants.Count > 0 ? [.. AllowedTenants] : string.IsNullOrWhiteSpace(TenantId) ? [] : [TenantId];

    public IReadOnlyList<string> EffectiveServiceHosts => AllowedServiceHosts.Count > 0 ? [.. AllowedServiceHosts] : BotFrameworkServiceHosts;

    public bool Enabled => !string.IsNullOrWhiteSpace(AppId);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enabled)
        {
            yield break;
        }

        if (string.IsNullOrWhiteSpace(AppPassword))
        {
            yield return new ValidationResult("is required when Teams:AppId is set (the bot needs it to reply).", [nameof(AppPassword)]);
        }

        if (!IsHttpUrl(OpenIdMetadataUrl))
        {
            yield return new ValidationResult($"'{OpenIdMetadataUrl}' is not an absolute http(s) URL.", [nameof(OpenIdMetadataUrl)]);
        }

        if (!IsHttpUrl(TokenEndpoint))
        {
            yield return new ValidationResult($"'{TokenEndpoint}' is not an absolute http(s) URL.", [nameof(TokenEndpoint)]);
        }

        if (TenantRequestsPerMinute < 1)
        {
            yield return new ValidationResult($"must be at least 1 (is {TenantRequestsPerMinute}).", [nameof(TenantRequestsPerMinute)]);
        }

        if (!string.IsNullOrEmpty(TenantId) && !Guid.TryParse(TenantId, out _))
        {
            yield return new ValidationResult($"'{TenantId}' is not a tenant id (a GUID).", [nameof(TenantId)]);
        }
    }

    private static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
}
