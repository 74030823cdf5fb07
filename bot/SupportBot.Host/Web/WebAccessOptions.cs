using Microsoft.Extensions.Options;

namespace SupportBot.Host.Web;

/// <summary>
/// Sign-in for the web chat and the dashboard (<c>Auth</c> section): OpenID Connect against Entra ID or any
/// OIDC issuer, roles (or groups) that separate agents from support-ops leads.
/// </summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>The issuer, e.g. <c>https://login.microsoftonline.com/{tenant}/v2.0</c>; sign-in is on when this and <see cref="ClientId"/> are set.</summary>
    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    /// <summary>The client secret of the web app registration (code flow with PKCE and a confidential client).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The claim that carries roles or groups: <c>roles</c> (Entra ID app roles) or <c>groups</c> (group object ids).</summary>
    public string RoleClaim { get; set; } = "roles";

    /// <summary>Role (or group id) values that may use the web chat. A list, or comma-separated.</summary>
    public IList<string> AgentRoles { get; } = [];

    /// <summary>Role (or group id) values of support-ops leads: dashboard, audit trail, and the chat.</summary>
    public IList<string> OpsRoles { get; } = [];

    /// <summary>Cookies only over https and https metadata. Turn off only behind a loopback test issuer.</summary>
    public bool RequireHttps { get; set; } = true;

    /// <summary>How long a sign-in lasts without activity.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority) && !string.IsNullOrWhiteSpace(ClientId);

    public const string DefaultAgentRole = "SupportBot.Agent";
    public const string DefaultOpsRole = "SupportBot.Ops";

    public IReadOnlyList<string> EffectiveAgentRoles => AgentRoles.Count > 0 ? [.. AgentRoles] : [DefaultAgentRole];

    public IReadOnlyList<string> EffectiveOpsRoles => OpsRoles.Count > 0 ? [.. OpsRoles] : [DefaultOpsRole];
}

/// <summary>The web surfaces' switches and limits (<c>Web</c> section).</summary>
public sealed class WebOptions
{
    public const string Section = "Web";

    public WebSurfaceOptions Chat { get; set; } = new();

    public WebSurfaceOptions Dashboard { get; set; } = new();

    /// <summary>Web chat posts one user (or, without sign-in, one address) may make per minute.</summary>
    public int ChatRequestsPerMinute { get; set; } = 30;
}

public sealed class WebSurfaceOptions
{
    public bool Enabled { get; set; } = true;
}

internal sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var failures = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.Authority) != !string.IsNullOrWhiteSpace(options.ClientId))
        {
            failures.Add("Auth:Authority and Auth:ClientId: set both to turn sign-in on, or neither.");
        }

        if (!string.IsNullOrWhiteSpace(options.Authority) && !Uri.TryCreate(options.Authority, UriKind.Absolute, out _))
        {
            failures.Add($"Auth:Authority: '{options.Authority}' is not an absolute URL.");
        }
        else if (options.RequireHttps && options.Authority is { } authority && authority.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            failures.Add("Auth:Authority: must be https (Auth:RequireHttps is on).");
        }

        if (options.Enabled && string.IsNullOrWhiteSpace(options.ClientSecret))
        {
            failures.Add("Auth:ClientSecret: required when sign-in is on (the code is redeemed by this confidential client).");
        }

        if (options.RoleClaim is not ("roles" or "groups" or "role"))
        {
            failures.Add($"Auth:RoleClaim: '{options.RoleClaim}' must be roles, groups or role.");
        }

        if (options.SessionLifetime <= TimeSpan.Zero)
        {
            failures.Add("Auth:SessionLifetime: must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

internal sealed class WebOptionsValidator : IValidateOptions<WebOptions>
{
    public ValidateOptionsResult Validate(string? name, WebOptions options) =>
        options.ChatRequestsPerMinute < 1
            ? ValidateOptionsResult.Fail($"Web:ChatRequestsPerMinute: must be at least 1 (is {options.ChatRequestsPerMinute}).")
            : ValidateOptionsResult.Success;
}
