using System.Collections.Frozen;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using SupportBot.Teams.Activities;

namespace SupportBot.Teams.Auth;

/// <summary>An inbound token that passed validation: what the activity must then agree with.</summary>
/// <param name="ServiceUrl">The <c>serviceurl</c> claim.</param>
/// <param name="Endorsements">The channels the signing key is endorsed for.</param>
/// <param name="TenantId">The token's <c>tid</c> claim, when it has one (Entra ID tokens do; Bot Framework's do not).</param>
internal sealed record BotFrameworkIdentity(string? ServiceUrl, IReadOnlySet<string> Endorsements, string? TenantId = null);

/// <summary>
/// Validates Bot Framework channel tokens exactly as the Bot Framework SDKs do: bearer JWT signed with
/// RS256 by a key from the OpenID metadata, issuer <c>https://api.botframework.com</c> (plus the Entra ID
/// issuers of <c>Teams:TenantId</c>), audience <c>Teams:AppId</c>, lifetime with 5 minutes of clock skew;
/// then the activity must match: key endorsed for its <c>channelId</c>, <c>serviceurl</c> claim equal to
/// its <c>serviceUrl</c> (tenant, channel and service host are <see cref="TeamsAccessPolicy"/>'s).
/// </summary>
internal sealed partial class BotFrameworkAuthenticator
{
    public const string MetadataClient = "teams-openid";
    public const string BotFrameworkIssuer = "https://api.botframework.com";
    public const string ServiceUrlClaim = "serviceurl";

    /// <summary>The skew the Bot Framework SDKs allow between the channel's clock and ours.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>An unknown key id re-reads the metadata at most this often (a flood of bad tokens cannot hammer it).</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMinutes(5);

    /// <summary>Keys roll over; the metadata is re-read at least this often even without an unknown key id.</summary>
    public static readonly TimeSpan AutomaticRefreshInterval = TimeSpan.FromHours(12);

    private readonly ConfigurationManager<OpenIdConnectConfiguration> _metadata;
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly TokenValidationParameters _parameters;
    private KeyedParameters? _current;
    private readonly ILogger<BotFrameworkAuthenticator> _logger;

    public BotFrameworkAuthenticator(IOptions<TeamsOptions> options, IHttpClientFactory httpClients, TimeProvider time, ILogger<BotFrameworkAuthenticator> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(httpClients);
        var settings = options.Value;
        _logger = logger;
        var metadataUrl = settings.OpenIdMetadataUrl;
        var documents = new HttpDocumentRetriever(httpClients.CreateClient(MetadataClient))
        {
            // The stand-ins of tests and local emulators serve plain http on loopback only.
            RequireHttps = metadataUrl.StartsWith(Uri.UriSchemeHttps + "://", StringComparison.OrdinalIgnoreCase),
        };
        _metadata = new ConfigurationManager<OpenIdConnectConfiguration>(metadataUrl, new OpenIdConnectConfigurationRetriever(), documents)
        {
            AutomaticRefreshInterval = AutomaticRefreshInterval,
            RefreshInterval = RefreshInterval,
        };

        List<string> issuers = [BotFrameworkIssuer];
        if (!string.IsNullOrWhiteSpace(settings.TenantId))
        {
            // A single-tenant bot also receives tokens issued by its Entra ID tenant (v1 and v2 endpoints).
            issuers.Add($"https://sts.windows.net/{settings.TenantId}/");
            issuers.Add($"https://login.microsoftonline.com/{settings.TenantId}/v2.0");
        }

        _parameters = new TokenValidationParameters
        {
            ValidIssuers = issuers,
            ValidAudience = settings.AppId,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            ClockSkew = ClockSkew,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            // Only the key named by the token's kid: an unknown kid must re-read the metadata, not be tried against every key.
            TryAllIssuerSigningKeys = false,
            // Lifetime against the injected clock, so tests move time instead of waiting for it.
            LifetimeValidator = (notBefore, expires, _, _) => IsWithinLifetime(notBefore, expires, time.GetUtcNow().UtcDateTime),
        };
    }

    /// <summary>Validates the bearer token of <paramref name="authorization"/>; null when it is not acceptable.</summary>
    public async Task<BotFrameworkIdentity?> AuthenticateAsync(string? authorization, CancellationToken cancellationToken)
    {
        const string scheme = "Bearer ";
        if (authorization is null || !authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) || authorization.Length <= scheme.Length)
        {
            LogRefused(_logger, "no bearer token");
            return null;
        }

        OpenIdConnectConfiguration configuration;
        try
        {
            configuration = await _metadata.GetConfigurationAsync(cancellationToken);
        }
        catch (InvalidOperationException ex)
        {
            // Without keys nothing can be verified; the channel retries.
            LogMetadataUnavailable(_logger, ex);
            return null;
        }

        var keyed = ParametersFor(configuration);
        var result = await _handler.ValidateTokenAsync(authorization[scheme.Length..].Trim(), keyed.Parameters);
        if (!result.IsValid)
        {
            if (result.Exception is SecurityTokenSignatureKeyNotFoundException)
            {
                // Keys may have rolled over: re-read the metadata (rate-limited by RefreshInterval), as the SDKs do.
                _metadata.RequestRefresh();
            }

            LogRefused(_logger, result.Exception?.GetType().Name ?? "invalid token");
            return null;
        }

        var token = (JsonWebToken)result.SecurityToken;
        var serviceUrl = token.TryGetPayloadValue<string>(ServiceUrlClaim, out var claim) ? claim : null;
        var tenant = token.TryGetPayloadValue<string>("tid", out var tid) ? tid : null;
        return new BotFrameworkIdentity(serviceUrl, keyed.Endorsements.GetValueOrDefault(token.Kid) ?? FrozenSet<string>.Empty, tenant);
    }

    /// <summary>Validation parameters and key endorsements of <paramref name="configuration"/>, built once per metadata refresh, not per request.</summary>
    private KeyedParameters ParametersFor(OpenIdConnectConfiguration configuration)
    {
        var current = _current;
        if (current is not null && ReferenceEquals(current.Configuration, configuration))
        {
            return current;
        }

        var parameters = _parameters.Clone();
        parameters.IssuerSigningKeys = configuration.SigningKeys;
        var endorsements = (configuration.JsonWebKeySet?.Keys ?? [])
            .Where(k => k.Kid is not null)
            .GroupBy(k => k.Kid, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => Endorsements(g.First()), StringComparer.Ordinal);
        current = new KeyedParameters(configuration, parameters, endorsements);
        _current = current;
        return current;
    }

    private sealed record KeyedParameters(
        OpenIdConnectConfiguration Configuration, TokenValidationParameters Parameters, FrozenDictionary<string, FrozenSet<string>> Endorsements);

    /// <summary>Whether the authenticated token vouches for this activity (channel endorsement, service URL).</summary>
    public bool Authorize(BotFrameworkIdentity identity, Activity activity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(activity);
        if (string.IsNullOrEmpty(activity.ChannelId) || !identity.Endorsements.Contains(activity.ChannelId))
        {
            LogRefused(_logger, "signing key not endorsed for the channel");
            return false;
        }

        // The token says which service URL it was issued for; replies go to that URL with our credentials.
        if (string.IsNullOrEmpty(identity.ServiceUrl) || !string.Equals(identity.ServiceUrl, activity.ServiceUrl, StringComparison.OrdinalIgnoreCase))
        {
            LogRefused(_logger, "serviceurl claim does not match the activity");
            return false;
        }

        return true;
    }

    /// <summary>Valid from <c>nbf</c> to <c>exp</c>, each widened by <see cref="ClockSkew"/>; a token must expire.</summary>
    internal static bool IsWithinLifetime(DateTime? notBefore, DateTime? expires, DateTime now) =>
        expires is { } exp
        && (notBefore is not { } nbf || (nbf <= exp && nbf - ClockSkew <= now))
        && now <= exp + ClockSkew;

    /// <summary>Bot Framework keys list the channels they may sign for in a non-standard <c>endorsements</c> member.</summary>
    private static FrozenSet<string> Endorsements(JsonWebKey key)
    {
        if (!key.AdditionalData.TryGetValue("endorsements", out var value))
        {
            return FrozenSet<string>.Empty;
        }

        IEnumerable<string?> items = value switch
        {
            JsonElement { ValueKind: JsonValueKind.Array } array => array.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : null),
            string single => [single],
            System.Collections.IEnumerable list => list.Cast<object?>().Select(o => o?.ToString()),
            _ => [],
        };
        return items.OfType<string>().ToFrozenSet(StringComparer.Ordinal);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bot Framework request refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Bot Framework OpenID metadata could not be read; inbound activities are refused")]
    private static partial void LogMetadataUnavailable(ILogger logger, Exception exception);
}
