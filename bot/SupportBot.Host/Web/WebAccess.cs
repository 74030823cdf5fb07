using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using SupportBot.Core.Configuration;
using SupportBot.Host.Endpoints;

namespace SupportBot.Host.Web;

/// <summary>How the web chat and the dashboard are offered.</summary>
public enum WebAccessMode
{
    /// <summary>The local default (no sign-in, no Slack or Teams): open, for trying the bot on one machine.</summary>
    Open,

    /// <summary>Behind OpenID Connect sign-in, with roles.</summary>
    SignIn,

    /// <summary>Slack or Teams is configured but sign-in is not: the host faces the internet, so both are off.</summary>
    Off,
}

/// <summary>Which web surfaces this host serves, and how.</summary>
public sealed record WebAccess(WebAccessMode Mode, bool Chat, bool Dashboard)
{
    public const string AgentPolicy = "agent";
    public const string OpsPolicy = "ops";

    /// <summary>Anyone with a role here: an agent or an ops lead.</summary>
    public const string AgentPolicyOrOps = AgentPolicy;
    public const string ChatRateLimit = "web-chat";
    public const string AntiforgeryHeader = "X-XSRF-TOKEN";

    public bool SignIn => Mode == WebAccessMode.SignIn;

    /// <summary>Decided from configuration alone, before the host is built (what to register depends on it).</summary>
    public static WebAccess From(IConfiguration configuration, PlatformConnections platforms)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(platforms);
        var auth = configuration.GetSection(AuthOptions.Section);
        var signIn = !string.IsNullOrWhiteSpace(auth["Authority"]) && !string.IsNullOrWhiteSpace(auth["ClientId"]);
        var mode = signIn ? WebAccessMode.SignIn : platforms.Any ? WebAccessMode.Off : WebAccessMode.Open;
        return new WebAccess(
            mode,
            mode != WebAccessMode.Off && Switch(configuration, "Web:Chat:Enabled"),
            mode != WebAccessMode.Off && Switch(configuration, "Web:Dashboard:Enabled"));
    }

    private static bool Switch(IConfiguration configuration, string key) =>
        !bool.TryParse(configuration[key], out var on) || on;
}

/// <summary>Sign-in, roles, antiforgery, rate limits and security headers for the web surfaces.</summary>
public static class WebAccessExtensions
{
    public static IHostApplicationBuilder AddSupportBotWebAccess(this IHostApplicationBuilder builder, PlatformConnections platforms)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var access = WebAccess.From(builder.Configuration, platforms);
        services.AddSingleton(access);
        services.AddValidatedOptions<AuthOptions>(builder.Configuration, AuthOptions.Section).Configure(o =>
        {
            AddListed(o.AgentRoles, builder.Configuration["Auth:AgentRoles"]);
            AddListed(o.OpsRoles, builder.Configuration["Auth:OpsRoles"]);
        });
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        services.AddValidatedOptions<WebOptions>(builder.Configuration, WebOptions.Section);
        services.AddSingleton<IValidateOptions<WebOptions>, WebOptionsValidator>();

        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "60";
                await context.HttpContext.Response.WriteAsJsonAsync(new ApiError("Too many messages; wait a minute and try again."), HostJson.Default.ApiError, cancellationToken: cancellationToken);
            };
            limiter.AddPolicy(WebAccess.ChatRateLimit, context =>
            {
                // Per signed-in user. The open local default has no users to tell apart: one machine, no limit.
                if (WebUser.From(context.User) is not { } user)
                {
                    return RateLimitPartition.GetNoLimiter("local");
                }

                var perMinute = context.RequestServices.GetRequiredService<IOptions<WebOptions>>().Value.ChatRequestsPerMinute;
                return RateLimitPartition.GetFixedWindowLimiter(user.Id, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = perMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                });
            });
        });

        if (!access.SignIn)
        {
            return builder;
        }

        var auth = new AuthOptions();
        builder.Configuration.GetSection(AuthOptions.Section).Bind(auth);
        AddListed(auth.AgentRoles, builder.Configuration["Auth:AgentRoles"]);
        AddListed(auth.OpsRoles, builder.Configuration["Auth:OpsRoles"]);
        var secure = auth.RequireHttps ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;

        services.AddAntiforgery(o =>
        {
            o.HeaderName = WebAccess.AntiforgeryHeader;
            o.Cookie.Name = "__supportbot_af";
            o.Cookie.SecurePolicy = secure;
            o.Cookie.SameSite = SameSiteMode.Strict;
        });
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                o.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
            })
            .AddCookie(o =>
            {
                o.Cookie.Name = "__supportbot";
                o.Cookie.HttpOnly = true;
                o.Cookie.SecurePolicy = secure;
                o.Cookie.SameSite = SameSiteMode.Lax; // sent on the issuer's redirect back, never on cross-site posts
                o.ExpireTimeSpan = auth.SessionLifetime;
                o.SlidingExpiration = true;
                o.Events.OnRedirectToAccessDenied = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                };
            })
            .AddOpenIdConnect(o =>
            {
                o.Authority = auth.Authority;
                o.ClientId = auth.ClientId;
                o.ClientSecret = auth.ClientSecret;
                o.ResponseType = OpenIdConnectResponseType.Code;
                o.ResponseMode = OpenIdConnectResponseMode.Query;
                o.UsePkce = true;
                o.RequireHttpsMetadata = auth.RequireHttps;
                o.MapInboundClaims = false;
                o.SaveTokens = false;
                o.GetClaimsFromUserInfoEndpoint = false;
                o.Scope.Clear();
                o.Scope.Add("openid");
                o.Scope.Add("profile");
                o.TokenValidationParameters.NameClaimType = "name";
                o.TokenValidationParameters.RoleClaimType = auth.RoleClaim;
                o.CorrelationCookie.SecurePolicy = secure;
                o.NonceCookie.SecurePolicy = secure;
                o.Events.OnRedirectToIdentityProvider = context =>
                {
                    // An API call without a session gets 401, not a redirect its script cannot follow.
                    if (IsApi(context.Request.Path))
                    {
                        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                        context.HandleResponse();
                    }

                    return Task.CompletedTask;
                };
            });

        var agentRoles = auth.EffectiveAgentRoles.Concat(auth.EffectiveOpsRoles).ToHashSet(StringComparer.Ordinal);
        var opsRoles = auth.EffectiveOpsRoles.ToHashSet(StringComparer.Ordinal);
        var roleClaim = auth.RoleClaim;
        services.AddAuthorizationBuilder()
            .AddPolicy(WebAccess.AgentPolicy, p => p.RequireAuthenticatedUser().RequireAssertion(c => HasAny(c.User, roleClaim, agentRoles)))
            .AddPolicy(WebAccess.OpsPolicy, p => p.RequireAuthenticatedUser().RequireAssertion(c => HasAny(c.User, roleClaim, opsRoles)));
        return builder;
    }

    /// <summary>Security headers on every response, then (with sign-in) authentication and authorization, then rate limits.</summary>
    public static WebApplication UseSupportBotWebAccess(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use(SecurityHeaders.ApplyAsync);
        if (app.Services.GetRequiredService<WebAccess>().SignIn)
        {
            app.UseAuthentication();
            app.UseAuthorization();
        }

        app.UseRateLimiter();
        return app;
    }

    /// <summary>
    /// Requires <paramref name="policy"/> when sign-in is on. Otherwise the endpoint is anonymous on purpose: the open
    /// mode exists only for local use, with no Slack or Teams configured (with a platform and no sign-in the web
    /// surfaces are off and these endpoints are not mapped at all).
    /// </summary>
    public static TBuilder Protect<TBuilder>(this TBuilder endpoints, WebAccess access, string policy)
        where TBuilder : IEndpointConventionBuilder =>
        access.SignIn ? endpoints.RequireAuthorization(policy) : endpoints.AllowAnonymous();

    /// <summary>With sign-in (cookies), state-changing posts must carry the antiforgery header.</summary>
    public static TBuilder RequireAntiforgeryHeader<TBuilder>(this TBuilder endpoints, WebAccess access)
        where TBuilder : IEndpointConventionBuilder =>
        access.SignIn ? endpoints.AddEndpointFilter(AntiforgeryCheck.InvokeAsync) : endpoints;

    internal static bool IsApi(PathString path) =>
        path.StartsWithSegments("/chat/api", StringComparison.Ordinal) || path.StartsWithSegments("/api", StringComparison.Ordinal);

    private static bool HasAny(ClaimsPrincipal user, string claimType, HashSet<string> values) =>
        user.Claims.Any(c => (c.Type == claimType || c.Type == "role" || c.Type == ClaimTypes.Role) && values.Contains(c.Value));

    private static void AddListed(ICollection<string> list, string? value)
    {
        foreach (var item in (value ?? string.Empty).Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!list.Contains(item))
            {
                list.Add(item);
            }
        }
    }
}

/// <summary>The signed-in person, as the chat and the audit trail name them.</summary>
public sealed record WebUser(string Id, string Name, string? Tenant)
{
    /// <summary>Null when nobody is signed in.</summary>
    public static WebUser? From(ClaimsPrincipal? principal)
    {
        if (principal?.Identity?.IsAuthenticated != true)
        {
            return null;
        }

        // Entra ID: oid is the user across apps; sub elsewhere.
        var id = principal.FindFirst("oid")?.Value ?? principal.FindFirst("sub")?.Value;
        if (string.IsNullOrEmpty(id))
        {
            return null;
        }

        var name = principal.FindFirst("name")?.Value ?? principal.FindFirst("preferred_username")?.Value ?? id;
        return new WebUser(id, name.Length > 64 ? name[..64] : name, principal.FindFirst("tid")?.Value);
    }

    /// <summary>The key a user's web chat threads live under: a hash, so Redis keys carry no user id.</summary>
    public string Owner => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Id)))[..20];

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name} ({Id})");
}
